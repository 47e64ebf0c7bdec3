// One conversation: messages with delivery states, the reply box ("/" offers canned replies),
// internal notes, and the actions staff may take in its state.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import type { CannedReplyView, ConversationDetail, MessageView } from '../../../../src/http/schemas/console.ts';
import { api, type ConversationAction } from '../api.ts';
import { conversationLabel, useSession } from '../app.tsx';
import { clock, dateTime, type Language, msg, useLanguage, when } from '../i18n.ts';
import { Photos } from '../photo.tsx';
import { PhotoButton, PhotoPreview } from '../reply-photo.tsx';
import { useTypingSignal } from '../typing-signal.ts';
import { ActionButton, AddForm, Badge, Dialog, errorText, Loading, useLoad, useToast } from '../ui.tsx';
import { channel, conversationStatus, eventText, outboxStatus, reason } from '../words.ts';

export function ConversationPane(props: { id: number; onCustomer: (id: number) => void }) {
  const { id, onCustomer } = props;
  const { me, onLive } = useSession();
  const lang = useLanguage();
  const { t } = lang;
  const toast = useToast();
  const { route } = useLocation();
  const { data, error, reload } = useLoad(() => api.conversation(id), [id]);
  const canned = useLoad(() => api.canned(), []);
  const [transferOpen, setTransferOpen] = useState(false);

  useEffect(() => {
    if (data) onCustomer(data.conversation.customer.id);
  }, [data, onCustomer]);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** Set while handing the conversation away: it is about to leave this agent's sight, so no refresh. */
  const leaving = useRef(false);
  useEffect(() => {
    leaving.current = false;
    // A refresh still pending when the pane closes would ask for a conversation this agent may no
    // longer see (404 after a transfer).
    return () => clearTimeout(timer.current);
  }, [id]);
  useEffect(
    () =>
      onLive((event) => {
        if (leaving.current) return;
        // Handed to someone else (by me or an admin): an agent can no longer see it, so leave it.
        if (
          event.type === 'conversation' &&
          event.id === id &&
          me.role !== 'admin' &&
          event.status === 'open' &&
          event.assigneeId !== me.id
        ) {
          clearTimeout(timer.current);
          route('/console/queue');
          return;
        }
        const about = event.type === 'conversation' ? event.id : event.type === 'ready' ? null : event.conversationId;
        if (about !== id) return;
        clearTimeout(timer.current);
        timer.current = setTimeout(() => {
          if (!leaving.current) void reload();
        }, 150);
      }),
    [onLive, reload, id, me, route],
  );

  const label = t(conversationLabel, { id });

  async function act(action: ConversationAction) {
    const { conversation } = await api.act(id, action);
    if (conversation.id !== id) {
      // Reopening found a newer conversation with this customer: that is the one to continue.
      toast(
        t(msg('客户已有新的会话，已为你接手 {c}', 'The customer has a newer conversation: you now own {c}'), {
          c: t(conversationLabel, { id: conversation.id }),
        }),
      );
      route(`/console/queue/${conversation.id}`);
      return;
    }
    if (action === 'requeue' && me.role !== 'admin') {
      leaving.current = true;
      clearTimeout(timer.current);
      toast(t(msg('{c} 已退回队列', '{c} is back in the queue'), { c: label }));
      route('/console/queue');
      return;
    }
    await reload();
  }

  if (!data) {
    const gone = error && /not found/.test(error);
    return (
      <section class="conversation-pane" id="conversation">
        {gone ? (
          <p class="muted">
            {t(
              msg(
                '{c} 不在你的列表里了（可能已转交或分配给其他同事）。',
                '{c} is no longer yours to see (it may have been handed to a colleague).',
              ),
              { c: label },
            )}{' '}
            <a href="/console/queue">{t(msg('回到会话列表', 'Back to the list'))}</a>
          </p>
        ) : (
          <Loading error={error} />
        )}
      </section>
    );
  }
  const c = data.conversation;
  const mine = c.assignee?.id === me.id || me.role === 'admin';
  const canTake =
    me.id !== null &&
    (c.status === 'pending' || (c.status === 'open' && c.assignee?.id !== me.id && me.role === 'admin'));
  const live = c.status === 'pending' || c.status === 'open';

  return (
    <section class="conversation-pane" id="conversation" aria-label={label}>
      <header class="pane-head conversation-head">
        <a class="back" href="/console/queue">
          ← <span>{t(msg('列表', 'List'))}</span>
        </a>
        <h2>
          {label} · {c.customer.name ?? t(msg('未留名客户', 'Unnamed customer'))}
        </h2>
        <div class="head-meta">
          <Badge tone={c.status}>
            <span id="conversation-status" data-status={c.status}>
              {t(conversationStatus[c.status])}
            </span>
          </Badge>
          <span>{t(channel[c.chat.channel])}</span>
          {c.assignee ? <span>→ {c.assignee.name}</span> : null}
          {c.escalationReason ? <span>{reason(lang, c.escalationReason)}</span> : null}
          {live && c.firstResponseDueAt && !c.firstResponseAt ? (
            <span class={c.slaBreachedAt ? 'overdue' : ''}>
              {t(msg('首次响应截止 {at}', 'First reply due {at}'), { at: when(lang, c.firstResponseDueAt) })}
            </span>
          ) : null}
        </div>
        <div class="actions">
          {canTake ? (
            <ActionButton id="take" class="primary" run={() => act('take')}>
              {t(msg('接手', 'Take'))}
            </ActionButton>
          ) : null}
          {live && mine && (c.status === 'open' || me.role === 'admin') ? (
            <button type="button" id="transfer" onClick={() => setTransferOpen(true)}>
              {t(msg('转交…', 'Transfer…'))}
            </button>
          ) : null}
          {live && mine ? (
            <ActionButton id="release" run={() => act('release')}>
              {t(msg('交还机器人', 'Back to the bot'))}
            </ActionButton>
          ) : null}
          {live && mine ? (
            <ActionButton id="resolve" class="primary" run={() => act('resolve')}>
              {t(msg('解决', 'Resolve'))}
            </ActionButton>
          ) : null}
          {c.status === 'resolved' && me.id !== null ? (
            <ActionButton id="reopen" run={() => act('reopen')}>
              {t(msg('重新打开', 'Reopen'))}
            </ActionButton>
          ) : null}
        </div>
      </header>
      <Messages messages={data.messages} />
      {live ? (
        <ReplyBox
          key={id}
          conversation={c}
          canned={canned.data?.cannedReplies ?? []}
          onSent={reload}
          holding={c.status === 'open' && me.id !== null && c.assignee?.id === me.id}
        />
      ) : null}
      <NoteBox key={`note-${id}`} conversationId={id} onAdded={reload} />
      <TransferDialog
        open={transferOpen}
        conversation={c}
        onClose={() => setTransferOpen(false)}
        onLeaving={(yes) => {
          leaving.current = yes && me.role !== 'admin';
          if (leaving.current) clearTimeout(timer.current);
        }}
        onDone={(gone) => {
          setTransferOpen(false);
          if (gone) route('/console/queue');
          else void reload();
        }}
      />
    </section>
  );
}

function deliveryText(lang: Language, m: MessageView): string | null {
  const d = m.delivery;
  if (!d) return null;
  const { t } = lang;
  if (d.heldBy === 'quiet_hours' && d.heldUntil) {
    return t(msg('免打扰时段，{at} 发送', 'Held until {at} by quiet hours'), { at: clock(lang, d.heldUntil) });
  }
  if (d.heldBy === 'schedule' && d.heldUntil) {
    return t(msg('将于 {at} 发送', 'Scheduled for {at}'), { at: when(lang, d.heldUntil) });
  }
  const status = t(outboxStatus[d.status]);
  return d.status === 'failed' && d.error ? `${status}: ${d.error}` : status;
}

function Messages(props: { messages: MessageView[] }) {
  const lang = useLanguage();
  const { t } = lang;
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [props.messages.length]);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
    <ol class="messages" id="messages" ref={list} aria-label={t(msg('消息', 'Messages'))} tabIndex={0}>
      {props.messages.map((m) => {
        if (m.from === 'system') {
          return (
            <li key={m.id} class="system">
              <span>{m.event ? eventText(lang, m.event) : (m.text ?? '')}</span>{' '}
              <time dateTime={m.at.toISOString()}>{when(lang, m.at)}</time>
            </li>
          );
        }
        const author =
          m.from === 'customer'
            ? t(msg('客户', 'Customer'))
            : m.from === 'bot'
              ? t(msg('机器人', 'Bot'))
              : m.from === 'note'
                ? t(msg('内部备注 · {name}', 'Internal note · {name}'), { name: m.staffName ?? '' })
                : (m.staffName ?? t(msg('客服', 'Staff')));
        const delivery = deliveryText(lang, m);
        return (
          <li key={m.id} class={`message ${m.from}`} data-kind={m.from}>
            <div class="meta">
              <span>{author}</span>{' '}
              <time dateTime={m.at.toISOString()} title={dateTime(lang, m.at)}>
                {when(lang, m.at)}
              </time>
            </div>
            {m.text || !m.attachments.length ? <div class="bubble">{m.text ?? ''}</div> : null}
            <Photos ids={m.attachments} />
            {m.buttons.length ? (
              <div class="buttons">
                {m.buttons.map((b) => (
                  <span class="chip" key={b}>
                    {b}
                  </span>
                ))}
              </div>
            ) : null}
            {delivery ? (
              <div
                class={`delivery ${m.delivery?.heldBy ?? m.delivery?.status ?? ''}`}
                data-delivery={m.delivery?.status}
              >
                {delivery}
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/** The reply box. Typing "/" offers the canned replies; choosing one puts its text in the box to edit. */
function ReplyBox(props: {
  conversation: ConversationDetail;
  canned: CannedReplyView[];
  onSent: () => Promise<void>;
  /** This staff member holds the open conversation: the customer sees when they type. */
  holding: boolean;
}) {
  const { t } = useLanguage();
  const typing = useTypingSignal(props.conversation.id, props.holding);
  const toast = useToast();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [photo, setPhoto] = useState<File | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const slash = /^\/(\S*)$/.exec(text);
  const matches = slash
    ? props.canned.filter((r) => r.shortcut.toLowerCase().startsWith((slash[1] ?? '').toLowerCase())).slice(0, 8)
    : [];
  const english = props.conversation.customer.locale === 'en';

  function choose(reply: CannedReplyView) {
    const chosen = english && reply.textEn ? reply.textEn : reply.text;
    setText(chosen);
    typing.input(chosen);
    setActive(0);
    area.current?.focus();
  }

  async function send(event: Event) {
    event.preventDefault();
    const clean = text.trim();
    if ((!clean && !photo) || busy) return;
    setBusy(true);
    typing.stop();
    try {
      const attachments = photo ? [(await api.uploadPhoto(props.conversation.id, photo)).id] : undefined;
      await api.reply(props.conversation.id, {
        ...(clean ? { text: clean } : {}),
        ...(attachments ? { attachments } : {}),
      });
      setText('');
      setPhoto(null);
      await props.onSent();
    } catch (error) {
      toast(errorText(error), { tone: 'error' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="reply" id="reply-form" onSubmit={send}>
      <label class="visually-hidden" for="reply-text">
        {t(msg('回复客户', 'Reply to the customer'))}
      </label>
      <div class="reply-input">
        {photo ? <PhotoPreview photo={photo} onRemove={() => setPhoto(null)} /> : null}
        {matches.length ? (
          <div class="canned-menu" id="canned-menu" role="listbox" aria-label={t(msg('快捷回复', 'Canned replies'))}>
            {matches.map((r, index) => (
              <div
                key={r.shortcut}
                id={`canned-${r.shortcut}`}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(r);
                }}
              >
                <code>/{r.shortcut}</code> {english && r.textEn ? r.textEn : r.text}
              </div>
            ))}
          </div>
        ) : null}
        <textarea
          id="reply-text"
          ref={area}
          rows={3}
          value={text}
          placeholder={t(msg('回复客户…（输入 / 选择快捷回复）', 'Reply to the customer… (type / for canned replies)'))}
          aria-controls={matches.length ? 'canned-menu' : undefined}
          aria-activedescendant={matches[active] ? `canned-${matches[active].shortcut}` : undefined}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setActive(0);
            typing.input(e.currentTarget.value);
          }}
          onBlur={typing.stop}
          onKeyDown={(e) => {
            if (matches.length) {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                setActive((active + 1) % matches.length);
              } else if (e.key === 'ArrowUp') {
                e.preventDefault();
                setActive((active - 1 + matches.length) % matches.length);
              } else if (e.key === 'Enter' || e.key === 'Tab') {
                const chosen = matches[active];
                if (chosen) {
                  e.preventDefault();
                  choose(chosen);
                }
              } else if (e.key === 'Escape') {
                setText(text.slice(1));
              }
            } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              void send(e);
            }
          }}
        />
      </div>
      <PhotoButton disabled={busy} onPick={setPhoto} onError={(message) => toast(message, { tone: 'error' })} />
      <button type="submit" id="reply-send" class="primary" disabled={busy || (!text.trim() && !photo)}>
        {t(msg('发送', 'Send'))}
      </button>
    </form>
  );
}

function NoteBox(props: { conversationId: number; onAdded: () => Promise<void> }) {
  const { t } = useLanguage();
  const toast = useToast();
  return (
    <AddForm
      class="note"
      label={t(msg('内部备注', 'Internal note'))}
      placeholder={t(msg('内部备注（客户看不到）', 'Internal note (the customer never sees it)'))}
      inputId="note-text"
      buttonId="note-add"
      button={t(msg('添加备注', 'Add note'))}
      add={(text) => api.note(props.conversationId, text)}
      onAdded={async () => {
        toast(t(msg('备注已保存到客户档案', 'Note saved to the profile')));
        await props.onAdded();
      }}
    />
  );
}

/** Transfer to a colleague (with a note they see) or back to the queue. */
function TransferDialog(props: {
  open: boolean;
  conversation: ConversationDetail;
  onClose: () => void;
  onLeaving: (leaving: boolean) => void;
  onDone: (gone: boolean) => void;
}) {
  const { me } = useSession();
  const { t } = useLanguage();
  const toast = useToast();
  const staff = useLoad(() => (props.open ? api.staff() : Promise.resolve(null)), [props.open]);
  const [chosen, setTarget] = useState('queue');
  const [note, setNote] = useState('');
  const c = props.conversation;
  const others = (staff.data?.staff ?? []).filter((s) => s.id !== null && s.id !== c.assignee?.id);
  // Only an open conversation can go back to the queue; a waiting one is assigned to someone.
  const target = chosen === 'queue' && c.status !== 'open' ? String(others[0]?.id ?? '') : chosen;
  return (
    <Dialog
      open={props.open}
      title={t(msg('转交{c}', 'Transfer {c}'), { c: t(conversationLabel, { id: c.id }) })}
      onClose={props.onClose}
    >
      <form
        class="stack"
        method="dialog"
        onSubmit={async (e) => {
          e.preventDefault();
          props.onLeaving(true);
          try {
            if (target === 'queue') {
              if (note.trim()) await api.note(c.id, note.trim());
              await api.act(c.id, 'requeue');
              toast(t(msg('已退回队列', 'Returned to the queue')));
              props.onDone(me.role !== 'admin');
            } else {
              const to = others.find((s) => String(s.id) === target);
              await api.transfer(c.id, { staffId: Number(target), ...(note.trim() ? { note: note.trim() } : {}) });
              toast(t(msg('已转交给 {name}', 'Handed to {name}'), { name: to?.name ?? '' }));
              props.onDone(me.role !== 'admin');
            }
            setNote('');
          } catch (error) {
            props.onLeaving(false);
            toast(errorText(error), { tone: 'error' });
          }
        }}
      >
        <label>
          {t(msg('转交给', 'Hand to'))}
          <select id="transfer-to" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
            {c.status === 'open' ? (
              <option value="queue">
                {t(msg('退回队列（任何同事可接手）', 'Back to the queue (anyone can take it)'))}
              </option>
            ) : null}
            {others.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name}
                {s.online ? t(msg('（在线）', ' (online)')) : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(msg('给接手同事的备注（可选）', 'A note for the receiver (optional)'))}
          <textarea id="transfer-note" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        <div class="row">
          <button type="button" onClick={props.onClose}>
            {t(msg('取消', 'Cancel'))}
          </button>
          <button type="submit" id="transfer-confirm" class="primary">
            {t(msg('确认转交', 'Transfer'))}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
