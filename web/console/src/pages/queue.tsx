// Conversations: the live queue (or the resolved history) beside the open conversation and the
// customer's profile. On a phone one pane shows at a time. Updates arrive over the live stream.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import type { QueueItem, QueueView } from '../../../../src/http/schemas/console.ts';
import { ChannelName } from '../../../../src/http/schemas/vocabulary.ts';
import { api, type QueueFilters } from '../api.ts';
import { conversationLabel, useSession } from '../app.tsx';
import { msg, since, useLanguage, when } from '../i18n.ts';
import { Badge, Empty, EnumFilter, Loading, useLoad } from '../ui.tsx';
import { channel, conversationStatus, reason, sla, tier } from '../words.ts';
import { ConversationPane } from './conversation.tsx';
import { ProfilePanel } from './profile.tsx';

export function QueuePage(props: { id?: string }) {
  const selected = props.id && /^\d+$/.test(props.id) ? Number(props.id) : null;
  const [customerId, setCustomerId] = useState<number | null>(null);
  const [tab, setTab] = useState<'conversation' | 'profile'>('conversation');
  const { t } = useLanguage();
  useEffect(() => setTab('conversation'), [selected]);
  return (
    <div class={`desk ${selected ? 'has-selection' : ''} tab-${tab}`}>
      <QueueList selected={selected} />
      {selected ? (
        <>
          <div class="pane-tabs" role="tablist" aria-label={t(msg('会话视图', 'Conversation view'))}>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'conversation'}
              onClick={() => setTab('conversation')}
            >
              {t(msg('对话', 'Chat'))}
            </button>
            <button type="button" role="tab" aria-selected={tab === 'profile'} onClick={() => setTab('profile')}>
              {t(msg('客户档案', 'Profile'))}
            </button>
          </div>
          <ConversationPane id={selected} onCustomer={setCustomerId} />
          <aside class="profile-pane" id="profile" aria-label={t(msg('客户档案', 'Customer profile'))}>
            {customerId ? <ProfilePanel customerId={customerId} compact /> : null}
          </aside>
        </>
      ) : (
        <section class="conversation-pane placeholder">
          <Empty>{t(msg('从左侧选择一个会话', 'Pick a conversation from the list'))}</Empty>
        </section>
      )}
    </div>
  );
}

function QueueList(props: { selected: number | null }) {
  const { me, onLive } = useSession();
  const lang = useLanguage();
  const { t } = lang;
  const [view, setView] = useState<QueueView>('live');
  const [filters, setFilters] = useState<Omit<QueueFilters, 'view'>>({});
  // What is typed in the label box, applied on Enter or leaving it: bound to the applied filter, a
  // live refresh re-rendering mid-typing would put the old value back and lose the keystrokes.
  const [tagDraft, setTagDraft] = useState('');
  const [, setTick] = useState(0);
  // The status filter belongs to the live view (its select is hidden in the history, where every
  // conversation is resolved): carried over, it would empty the history.
  const { status, ...historyFilters } = filters;
  const query: QueueFilters = view === 'live' ? { view, ...filters } : { view, ...historyFilters };
  const { data, error, reload } = useLoad(() => api.queue(query), [JSON.stringify(query)]);

  // Live: any status change, message or desk action refreshes the list (coalesced).
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    const stop = onLive(() => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void reload(), 200);
    });
    return () => {
      // A refresh still pending belongs to the filters being replaced: run, it would show their list.
      clearTimeout(timer.current);
      stop();
    };
  }, [onLive, reload]);
  // Waiting times move on without events.
  useEffect(() => {
    const every = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(every);
  }, []);

  const set = (patch: Partial<typeof filters>) => setFilters({ ...filters, ...patch });
  const staffList = useLoad(() => api.staff(), []);

  return (
    <section class="queue-pane" aria-label={t(msg('会话列表', 'Conversation list'))}>
      <header class="pane-head">
        <h1>{t(msg('会话', 'Conversations'))}</h1>
        <div class="segmented">
          <button type="button" id="view-live" aria-pressed={view === 'live'} onClick={() => setView('live')}>
            {t(msg('进行中', 'Active'))}
          </button>
          <button
            type="button"
            id="view-resolved"
            aria-pressed={view === 'resolved'}
            onClick={() => setView('resolved')}
          >
            {t(msg('已解决', 'Resolved'))}
          </button>
        </div>
      </header>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label class="grow">
          <span class="visually-hidden">{t(msg('搜索', 'Search'))}</span>
          <input
            type="search"
            id="queue-search"
            placeholder={t(msg('搜索姓名、电话或 #会话号', 'Search name, phone or #number'))}
            value={filters.q ?? ''}
            onInput={(e) => set({ q: e.currentTarget.value || undefined })}
          />
        </label>
        {view === 'live' ? (
          <label>
            <span class="visually-hidden">{t(msg('状态', 'Status'))}</span>
            <select
              id="filter-status"
              value={filters.status ?? ''}
              onChange={(e) => {
                const value = e.currentTarget.value;
                set({ status: value === 'pending' || value === 'open' ? value : undefined });
              }}
            >
              <option value="">{t(msg('全部状态', 'All statuses'))}</option>
              <option value="pending">{t(conversationStatus.pending)}</option>
              <option value="open">{t(conversationStatus.open)}</option>
            </select>
          </label>
        ) : null}
        <label>
          <span class="visually-hidden">{t(msg('负责人', 'Assignee'))}</span>
          <select
            id="filter-assignee"
            value={String(filters.assignee ?? '')}
            onChange={(e) => {
              const value = e.currentTarget.value;
              set({ assignee: value === 'me' || value === 'unassigned' ? value : value ? Number(value) : undefined });
            }}
          >
            <option value="">{t(msg('全部负责人', 'Anyone'))}</option>
            {me.id !== null ? <option value="me">{t(msg('我的', 'Mine'))}</option> : null}
            <option value="unassigned">{t(msg('未分配', 'Unassigned'))}</option>
            {me.role === 'admin'
              ? (staffList.data?.staff ?? []).flatMap((s) =>
                  s.id === null ? [] : [<option value={s.id}>{s.name}</option>],
                )
              : null}
          </select>
        </label>
        <EnumFilter
          label={t(msg('渠道', 'Channel'))}
          labelHidden
          id="filter-channel"
          any={t(msg('全部渠道', 'All channels'))}
          values={ChannelName.options}
          words={channel}
          value={filters.channel}
          onValue={(value) => set({ channel: value })}
        />
        <label>
          <span class="visually-hidden">{t(msg('标签', 'Label'))}</span>
          <input
            id="filter-tag"
            placeholder={t(msg('标签', 'Label'))}
            value={tagDraft}
            onInput={(e) => setTagDraft(e.currentTarget.value)}
            onChange={(e) => set({ tag: e.currentTarget.value.trim() || undefined })}
          />
        </label>
      </form>
      {data ? (
        <ol class="queue" id="queue">
          {data.conversations.map((c) => (
            <QueueRow key={c.id} item={c} selected={c.id === props.selected} />
          ))}
          {data.conversations.length === 0 ? (
            <li class="muted empty">
              {view === 'live'
                ? t(msg('没有等待的会话', 'Nobody is waiting'))
                : t(msg('没有已解决的会话', 'No resolved conversations'))}
            </li>
          ) : null}
        </ol>
      ) : (
        <Loading error={error} />
      )}
    </section>
  );
}

function QueueRow(props: { item: QueueItem; selected: boolean }) {
  const lang = useLanguage();
  const { t } = lang;
  const c = props.item;
  const name = c.customer.name ?? t(msg('未留名客户', 'Unnamed customer'));
  const preview = c.lastMessage?.text ?? '';
  return (
    <li data-id={c.id} data-status={c.status} class={props.selected ? 'selected' : ''}>
      <a class="item" href={`/console/queue/${c.id}`} aria-current={props.selected ? 'true' : undefined}>
        <div class="row-top">
          <strong class="name">{name}</strong>
          <span class="number">{t(conversationLabel, { id: c.id })}</span>
          {c.unread > 0 ? (
            <Badge tone="unread" title={t(msg('未回复的客户消息', 'Customer messages awaiting a reply'))}>
              {c.unread}
            </Badge>
          ) : null}
        </div>
        <p class="preview">{preview}</p>
        <div class="row-meta">
          <Badge tone={c.status}>{t(conversationStatus[c.status])}</Badge>
          <span>{t(channel[c.chat.channel])}</span>
          {c.customer.tier !== 'normal' ? <Badge tone="tier">{t(tier[c.customer.tier])}</Badge> : null}
          {c.priority >= 20 ? <Badge tone="urgent">{t(msg('紧急', 'Urgent'))}</Badge> : null}
          {c.sla.state === 'warned' || c.sla.state === 'breached' ? (
            <Badge tone={`sla-${c.sla.state}`}>{t(sla[c.sla.state])}</Badge>
          ) : null}
          {c.escalationReason ? <span>{reason(lang, c.escalationReason)}</span> : null}
          {c.assignee ? <span>→ {c.assignee.name}</span> : null}
          {c.status === 'resolved' && c.resolvedAt ? (
            <span>{when(lang, c.resolvedAt)}</span>
          ) : c.status === 'pending' && c.escalatedAt ? (
            <span class="waiting">{t(msg('已等 {d}', 'waiting {d}'), { d: since(lang, c.escalatedAt) })}</span>
          ) : null}
        </div>
      </a>
    </li>
  );
}

/** After an action that takes the conversation away from the agent (transfer, requeue), back to the list. */
export function useBackToQueue() {
  const { route } = useLocation();
  return () => route('/console/queue');
}
