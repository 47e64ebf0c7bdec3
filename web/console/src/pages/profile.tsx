// The customer profile (客户档案): name, phone, tags and notes editable; consent shown, not editable;
// orders, cases, points, surveys, timeline, identities and conversations. Beside a conversation or alone.
// Admins merge a duplicate profile into this one (audited, undone from here or from the audit log).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { CustomerProfile, CustomerSummary } from '../../../../src/http/schemas/customers.ts';
import { ChannelName } from '../../../../src/http/schemas/vocabulary.ts';
import { api } from '../api.ts';
import { conversationLabel, useSession } from '../app.tsx';
import { date, dateTime, type Language, money, msg, useLanguage, when } from '../i18n.ts';
import { Photo, Photos } from '../photo.tsx';
import { ActionButton, AddForm, Badge, Dialog, Empty, errorText, Field, Loading, useLoad, useToast } from '../ui.tsx';
import {
  caseStatus,
  caseType,
  channel,
  conversationStatus,
  eventText,
  lifecycle,
  orderStatus,
  pointsKind,
  surveyKind,
  surveyStatus,
  tier,
} from '../words.ts';

/** A tag as words: `interest:TS-001` → "意向：纯棉T恤". */
function tagText(lang: Language, tag: string, profile: CustomerProfile): string {
  if (!tag.startsWith('interest:')) return tag;
  const sku = tag.slice('interest:'.length);
  const product = profile.products.find((p) => p.sku === sku);
  const name = product ? (lang.locale === 'en' && product.nameEn ? product.nameEn : product.name) : sku;
  return lang.t(msg('意向：{name}', 'Interested in {name}'), { name });
}

function productNames(lang: Language, skus: string[], profile: CustomerProfile): string {
  return skus
    .map((sku) => {
      const product = profile.products.find((p) => p.sku === sku);
      return product ? (lang.locale === 'en' && product.nameEn ? product.nameEn : product.name) : sku;
    })
    .join('、');
}

export function ProfilePanel(props: { customerId: number; compact?: boolean }) {
  const lang = useLanguage();
  const { t } = lang;
  const { data, error, reload } = useLoad(() => api.profile(props.customerId), [props.customerId]);
  const { onLive, me } = useSession();
  // A note written in the conversation belongs to the profile too: show it at once.
  useEffect(
    () =>
      onLive((event) => {
        if (event.type === 'desk' && event.kind === 'note') void reload();
      }),
    [onLive, reload],
  );
  if (!data) return <Loading error={error} />;
  const p = data;
  const Heading = props.compact ? 'h2' : 'h1';
  return (
    <div class="profile" data-customer={p.id}>
      <Heading class="profile-name">{p.name ?? t(msg('未留名客户', 'Unnamed customer'))}</Heading>
      {p.mergedIntoId ? (
        <p class="muted" id="profile-merged">
          {t(msg('此档案已合并到', 'This profile was merged into'))}{' '}
          <a href={`/console/customers/${p.mergedIntoId}`}>
            {t(msg('客户 #{id}', 'customer #{id}'), { id: p.mergedIntoId })}
          </a>
        </p>
      ) : null}
      <div class="row-meta">
        <Badge tone="tier">{t(tier[p.tier])}</Badge>
        <Badge>{t(lifecycle[p.lifecycleStage])}</Badge>
      </div>
      <EditBasics profile={p} onSaved={reload} />
      <dl class="facts">
        <dt>{t(msg('积分', 'Points'))}</dt>
        <dd>{p.pointsBalance}</dd>
        <dt>{t(msg('累计消费', 'Spent'))}</dt>
        <dd>
          {money(p.totalSpent)} · {t(msg('{n} 单', '{n} orders'), { n: p.orderCount })}
        </dd>
        <dt>{t(msg('营销消息', 'Marketing messages'))}</dt>
        <dd id="profile-consent">
          {p.marketingOptIn
            ? t(msg('已同意接收', 'Opted in'))
            : p.marketingOptOutAt
              ? t(msg('已退订（{at}）', 'Opted out ({at})'), { at: date(lang, p.marketingOptOutAt) })
              : t(msg('未同意', 'Not opted in'))}
          <small class="muted"> · {t(msg('仅客户本人可更改', 'only the customer can change this'))}</small>
        </dd>
        <dt>{t(msg('首次接触', 'First seen'))}</dt>
        <dd>{date(lang, p.firstSeenAt)}</dd>
      </dl>
      <Tags profile={p} onChange={reload} />
      <Notes profile={p} onAdded={reload} />
      <History
        title={t(msg('订单', 'Orders'))}
        open={!props.compact}
        id="profile-orders"
        items={p.orders}
        empty={t(msg('还没有订单', 'No orders yet'))}
        item={(o) => (
          <li key={o.id}>
            <strong>{o.orderNo}</strong> · {t(orderStatus[o.status])} · {money(o.total)}
            <small class="muted"> · {date(lang, o.placedAt)}</small>
            <div class="muted">{o.items.map((i) => `${i.name} ×${i.qty}`).join('、')}</div>
          </li>
        )}
      />
      <History
        title={t(msg('工单', 'Cases'))}
        open={!props.compact}
        items={p.cases}
        empty={t(msg('没有工单', 'No cases'))}
        item={(k) => (
          <li key={k.id}>
            <strong>{k.caseNo}</strong> · {t(caseType[k.type])} · {t(caseStatus[k.status])}
            <small class="muted"> · {date(lang, k.createdAt)}</small>
            {k.photoAttachment ? (
              <div class="attachments">
                <Photo id={k.photoAttachment} />
              </div>
            ) : null}
          </li>
        )}
      />
      <History
        title={t(msg('积分记录', 'Points'))}
        items={p.pointsEntries}
        empty={t(msg('没有积分记录', 'No points yet'))}
        item={(e) => (
          <li key={e.id}>
            <span class={e.amount >= 0 ? 'pos' : 'neg'}>{e.amount > 0 ? `+${e.amount}` : e.amount}</span> ·{' '}
            {t(pointsKind[e.kind])} · {e.reason} <small class="muted">· {date(lang, e.createdAt)}</small>
          </li>
        )}
      />
      <History
        title={t(msg('问卷', 'Surveys'))}
        items={p.surveys}
        empty={t(msg('没有问卷', 'No surveys'))}
        item={(s) => (
          <li key={s.id}>
            {surveyKind(lang, s.kind)} · {t(surveyStatus[s.status])}
            {s.csat !== null ? ` · CSAT ${s.csat}/5` : ''}
            {s.nps !== null ? ` · NPS ${s.nps}/10` : ''}
            {s.sentAt ? <small class="muted"> · {date(lang, s.sentAt)}</small> : null}
          </li>
        )}
      />
      <details>
        <summary>{t(msg('时间线', 'Timeline'))}</summary>
        <ol class="timeline">
          {p.interactions.map((i) => (
            <li key={i.id}>
              <time dateTime={i.createdAt.toISOString()}>{when(lang, i.createdAt)}</time>{' '}
              {i.eventType === 'presale.question'
                ? t(msg('咨询了 {products}：{text}', 'Asked about {products}: {text}'), {
                    products: productNames(lang, i.skus, p),
                    text: i.text ?? '',
                  })
                : i.direction === 'event' && i.kind !== 'note'
                  ? eventText(lang, { type: i.eventType ?? i.kind })
                  : (i.text ?? '')}
              <Photos ids={i.attachments} />
            </li>
          ))}
        </ol>
      </details>
      <details>
        <summary>
          {t(msg('身份与会话', 'Identities & conversations'))} ({p.identities.length})
        </summary>
        <ul class="list">
          {p.identities.map((i) => (
            <li key={i.id}>
              {t(channelWords(i.channel))} · {i.displayName ?? i.externalId}
              {i.canMessage ? null : <small class="muted"> · {t(msg('无法主动联系', 'cannot be messaged'))}</small>}
            </li>
          ))}
          {p.conversations.map((v) => (
            <li key={`c${v.id}`}>
              <a href={`/console/queue/${v.id}`}>{t(conversationLabel, { id: v.id })}</a> ·{' '}
              {t(conversationStatus[v.status])} · {dateTime(lang, v.createdAt)}
            </li>
          ))}
        </ul>
      </details>
      {me.role === 'admin' && !p.mergedIntoId && !p.erasedAt ? <MergeProfiles profile={p} onMerged={reload} /> : null}
    </div>
  );
}

function summaryText(lang: Language, c: CustomerSummary): string {
  const name = c.name ?? lang.t(msg('未留名客户', 'Unnamed customer'));
  return `${name} · #${c.id}${c.phone ? ` · ${c.phone}` : ''} · ${lang.t(msg('{n} 单', '{n} orders'), { n: c.orderCount })}`;
}

/**
 * Admins only: another profile of the same person (suggested by a shared phone or identity, or found
 * by name or phone) is merged into this one after a confirmation; the merge can be undone at once
 * here, or later from its audit log entry.
 */
function MergeProfiles(props: { profile: CustomerProfile; onMerged: () => Promise<void> }) {
  const lang = useLanguage();
  const { t } = lang;
  const toast = useToast();
  const p = props.profile;
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<CustomerSummary | null>(null);
  const [done, setDone] = useState<{ mergeId: number; source: CustomerSummary } | null>(null);
  const suggestions = useLoad(() => api.mergeSuggestions(), [p.id, done]);
  const found = useLoad(() => (q.trim() ? api.customers(q.trim()) : Promise.resolve(null)), [q]);
  const suggested = (suggestions.data?.suggestions ?? [])
    .filter((s) => s.customers.some((c) => c.id === p.id))
    .map((s) => ({ reason: s.reason, customer: s.customers.find((c) => c.id !== p.id) }))
    .filter((s): s is { reason: typeof s.reason; customer: CustomerSummary } => s.customer !== undefined);
  const candidates = (found.data?.customers ?? []).filter((c) => c.id !== p.id).slice(0, 6);
  const pick = (c: CustomerSummary) => (
    <button type="button" class="link merge-pick" data-id={c.id} onClick={() => setChosen(c)}>
      {summaryText(lang, c)}
    </button>
  );
  return (
    <details id="profile-merge">
      <summary>{t(msg('合并重复档案', 'Merge a duplicate profile'))}</summary>
      {done ? (
        <p class="row wrap" role="status" id="merge-done">
          {t(msg('已把 {name} 合并到此档案。', '{name} was merged into this profile.'), {
            name: done.source.name ?? `#${done.source.id}`,
          })}
          <ActionButton
            id="merge-undo"
            run={async () => {
              await api.undoMerge(done.mergeId);
              toast(t(msg('已撤销合并', 'The merge was undone')));
              setDone(null);
              await props.onMerged();
            }}
          >
            {t(msg('撤销合并', 'Undo the merge'))}
          </ActionButton>
        </p>
      ) : null}
      {suggested.length ? (
        <>
          <p class="muted">{t(msg('可能是同一个人：', 'Probably the same person:'))}</p>
          <ul class="list" id="merge-suggestions">
            {suggested.map((s) => (
              <li key={s.customer.id}>
                {pick(s.customer)}{' '}
                <small class="muted">
                  ·{' '}
                  {s.reason === 'phone'
                    ? t(msg('同一手机号', 'same phone number'))
                    : t(msg('同一账号身份', 'same account identity'))}
                </small>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Field
        label={t(msg('按姓名或电话查找另一份档案', 'Find the other profile by name or phone'))}
        type="search"
        id="merge-search"
        value={q}
        onValue={setQ}
      />
      {found.data ? (
        <ul class="list" id="merge-results">
          {candidates.map((c) => (
            <li key={c.id}>{pick(c)}</li>
          ))}
          {candidates.length === 0 ? <li class="muted">{t(msg('没有找到', 'Nobody found'))}</li> : null}
        </ul>
      ) : null}
      <Dialog open={chosen !== null} title={t(msg('合并档案', 'Merge profiles'))} onClose={() => setChosen(null)}>
        {chosen ? (
          <div class="stack">
            <p>
              {t(
                msg(
                  '把 {source} 的订单、积分、会话、标签、备注和身份全部移到 {target}。之后可以撤销（审计日志里也能撤销）。',
                  'Move every order, point, conversation, tag, note and identity of {source} to {target}. You can undo it afterwards (also from the audit log).',
                ),
                { source: summaryText(lang, chosen), target: p.name ?? `#${p.id}` },
              )}
            </p>
            <div class="row">
              <ActionButton
                class="primary"
                id="merge-confirm"
                run={async () => {
                  const source = chosen;
                  const result = await api.merge(source.id, p.id);
                  setChosen(null);
                  setQ('');
                  setDone({ mergeId: result.merge.id, source });
                  toast(t(msg('已合并', 'Merged')));
                  await props.onMerged();
                }}
              >
                {t(msg('合并', 'Merge'))}
              </ActionButton>
              <button type="button" onClick={() => setChosen(null)}>
                {t(msg('取消', 'Cancel'))}
              </button>
            </div>
          </div>
        ) : null}
      </Dialog>
    </details>
  );
}

function channelWords(name: string) {
  const known = ChannelName.safeParse(name);
  return known.success ? channel[known.data] : msg(name, name);
}

/** A phone the server masked for this agent (138****5678): shown as a hint, never sent back. */
const isMasked = (phone: string | null) => phone?.includes('*') ?? false;

function EditBasics(props: { profile: CustomerProfile; onSaved: () => Promise<void> }) {
  const { t } = useLanguage();
  const toast = useToast();
  const masked = isMasked(props.profile.phone);
  const shownPhone = masked ? '' : (props.profile.phone ?? '');
  const [name, setName] = useState(props.profile.name ?? '');
  const [phone, setPhone] = useState(shownPhone);
  const [revealed, setRevealed] = useState<string | null>(null);
  const nameChanged = name !== (props.profile.name ?? '');
  const phoneChanged = phone !== (revealed ?? shownPhone);
  return (
    <form
      class="edit-basics"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          // Only what changed: an agent's masked phone is never sent back.
          await api.updateCustomer(props.profile.id, {
            ...(nameChanged ? { name: name.trim() || null } : {}),
            ...(phoneChanged ? { phone: phone.trim() || null } : {}),
          });
          toast(t(msg('已保存', 'Saved')));
          await props.onSaved();
        } catch (error) {
          toast(errorText(error), { tone: 'error' });
        }
      }}
    >
      <Field label={t(msg('姓名', 'Name'))} id="profile-name" value={name} onValue={setName} />
      <Field
        label={t(msg('电话', 'Phone'))}
        id="profile-phone"
        type="tel"
        value={phone}
        placeholder={masked ? (props.profile.phone ?? '') : ''}
        onValue={setPhone}
      />
      {masked && revealed === null ? (
        <ActionButton
          id="profile-reveal"
          run={async () => {
            const { phone: full } = await api.revealPhone(props.profile.id);
            setRevealed(full ?? '');
            setPhone(full ?? '');
          }}
        >
          {t(msg('显示完整号码（会记录）', 'Show full number (logged)'))}
        </ActionButton>
      ) : null}
      <button type="submit" id="profile-save" disabled={!nameChanged && !phoneChanged}>
        {t(msg('保存', 'Save'))}
      </button>
    </form>
  );
}

/** One folded list of the profile's history: the title with the count, then the items or what to say when there are none. */
function History<T>(props: {
  title: string;
  open?: boolean;
  id?: string;
  items: T[];
  empty: string;
  item: (item: T) => ComponentChildren;
}) {
  return (
    <details open={props.open}>
      <summary>
        {props.title} ({props.items.length})
      </summary>
      {props.items.length ? (
        <ul class="list" id={props.id}>
          {props.items.map(props.item)}
        </ul>
      ) : (
        <Empty>{props.empty}</Empty>
      )}
    </details>
  );
}

function Tags(props: { profile: CustomerProfile; onChange: () => Promise<void> }) {
  const lang = useLanguage();
  const { t } = lang;
  const id = props.profile.id;
  return (
    <div class="tags">
      <h3>{t(msg('标签', 'Tags'))}</h3>
      <ul class="chips" id="profile-tags">
        {props.profile.tags.map((name) => (
          <li class="chip" key={name}>
            {tagText(lang, name, props.profile)}
            <ActionButton
              class="icon"
              aria-label={t(msg('移除标签 {tag}', 'Remove tag {tag}'), { tag: tagText(lang, name, props.profile) })}
              run={async () => {
                await api.removeTag(id, name);
                await props.onChange();
              }}
            >
              ×
            </ActionButton>
          </li>
        ))}
      </ul>
      <AddForm
        class="row"
        label={t(msg('新标签', 'New tag'))}
        placeholder={t(msg('添加标签', 'Add a tag'))}
        inputId="tag-input"
        buttonId="tag-add"
        button={t(msg('添加', 'Add'))}
        add={(tag) => api.addTag(id, tag)}
        onAdded={props.onChange}
      />
    </div>
  );
}

function Notes(props: { profile: CustomerProfile; onAdded: () => Promise<void> }) {
  const lang = useLanguage();
  const { t } = lang;
  return (
    <div class="notes">
      <h3>{t(msg('备注', 'Notes'))}</h3>
      <ul class="list" id="profile-notes">
        {props.profile.notes.map((n) => (
          <li key={n.id}>
            {n.text}
            <small class="muted">
              {' '}
              · {n.staffName ?? t(msg('管理员', 'admin'))} · {when(lang, n.createdAt)}
            </small>
          </li>
        ))}
        {props.profile.notes.length === 0 ? <li class="muted">{t(msg('还没有备注', 'No notes yet'))}</li> : null}
      </ul>
      <AddForm
        class="row"
        label={t(msg('新备注', 'New note'))}
        placeholder={t(msg('写一条备注', 'Write a note'))}
        inputId="profile-note-text"
        buttonId="profile-note-add"
        button={t(msg('添加', 'Add'))}
        add={(text) => api.addNote(props.profile.id, text)}
        onAdded={props.onAdded}
      />
    </div>
  );
}
