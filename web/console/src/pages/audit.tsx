// Audit log (admin): who did what to whom and when, in words, newest first; filter by staff member,
// action, kind of record and day (days in the shop's time zone); older entries page in on request.
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntryView, AuditResponse } from '../../../../src/http/schemas/audit.ts';
import { AuditAction, AuditEntityType } from '../../../../src/http/schemas/vocabulary.ts';
import { api } from '../api.ts';
import { dateTime, type Language, type Message, msg, useLanguage } from '../i18n.ts';
import { ActionButton, Empty, EnumFilter, Loading, Section, useLoad, useToast } from '../ui.tsx';
import {
  actorKind,
  auditAction,
  auditEntity,
  caseStage,
  caseStatus,
  caseType,
  channel,
  conversationStatus,
  orderStatus,
  reason,
  role,
} from '../words.ts';

/** The UTC instant of midnight starting `day` (YYYY-MM-DD) in the time zone. */
function startOfDay(day: string, timeZone: string): string {
  const guess = new Date(`${day}T00:00:00Z`);
  const local = new Date(guess.toLocaleString('en-US', { timeZone }));
  const utc = new Date(guess.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(guess.getTime() - (local.getTime() - utc.getTime())).toISOString();
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function who(lang: Language, e: AuditEntryView): string {
  if (e.actor.name) return e.actor.name;
  const kind = lang.t(actorKind[e.actor.type]);
  return e.actor.id ? `${kind} ${e.actor.id}` : kind;
}

function whom(lang: Language, e: AuditEntryView): string {
  const kind = lang.t(auditEntity[e.entity.type]);
  if (e.entity.name) return `${kind} ${e.entity.name}`;
  return e.entity.id ? `${kind} #${e.entity.id}` : kind;
}

/** A detail value that is a code, in words (undefined when the code is not one of the table's). */
type CodeWords = (lang: Language, code: string) => string | undefined;

function inWords(table: Record<string, Message>): CodeWords {
  return (lang, code) => {
    const word = Object.hasOwn(table, code) ? table[code] : undefined;
    return word ? lang.t(word) : undefined;
  };
}

/** Detail values that are codes of a vocabulary, per kind of record: shown in words, not as "pending". */
const detailWords: Partial<Record<AuditEntryView['entity']['type'], Record<string, CodeWords>>> = {
  conversation: { from: inWords(conversationStatus), to: inWords(conversationStatus), reason },
  order: { status: inWords(orderStatus) },
  case: { status: inWords(caseStatus), stage: inWords(caseStage), type: inWords(caseType) },
  customer: { via: inWords(channel), channel: inWords(channel) },
  staff: { role: inWords(role) },
};

const detailKeys: Record<string, Message> = {
  from: msg('从', 'from'),
  to: msg('到', 'to'),
  reason: msg('原因', 'reason'),
  status: msg('状态', 'status'),
  stage: msg('进度', 'stage'),
  type: msg('类型', 'type'),
  via: msg('渠道', 'via'),
  channel: msg('渠道', 'channel'),
  role: msg('角色', 'role'),
};

function detailText(lang: Language, e: AuditEntryView): string {
  if (!e.details) return '';
  return Object.entries(e.details)
    .map(([key, value]) => {
      const label = inWords(detailKeys)(lang, key) ?? key;
      const words = detailWords[e.entity.type]?.[key];
      const word = typeof value === 'string' && words ? words(lang, value) : undefined;
      const shown = word ?? (Array.isArray(value) ? value.join(', ') : JSON.stringify(value));
      return `${label}: ${shown}`;
    })
    .join(' · ');
}

export function AuditPage() {
  const lang = useLanguage();
  const { t } = lang;
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [entity, setEntity] = useState('');
  const [day, setDay] = useState('');
  const staff = useLoad(() => api.staff(true), []);
  const filters = {
    ...(actor ? { actor } : {}),
    ...(action ? { action } : {}),
    ...(entity ? { entity } : {}),
    ...(day ? { from: startOfDay(day, lang.timeZone), to: startOfDay(nextDay(day), lang.timeZone) } : {}),
  };
  const first = useLoad(() => api.audit(filters), [actor, action, entity, day]);
  const [pages, setPages] = useState<AuditResponse[]>([]);
  useEffect(() => setPages(first.data ? [first.data] : []), [first.data]);
  const entries = pages.flatMap((p) => p.entries);
  const cursor = pages.at(-1)?.cursor ?? null;
  return (
    <Section title={t(msg('审计日志', 'Audit log'))}>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t(msg('谁', 'Who'))}
          <select id="audit-actor" value={actor} onChange={(e) => setActor(e.currentTarget.value)}>
            <option value="">{t(msg('所有人', 'Everyone'))}</option>
            {(staff.data?.staff ?? []).map((s) => (
              <option key={s.id} value={`staff:${s.id}`}>
                {s.name}
              </option>
            ))}
            <option value="admin">{t(actorKind.admin)}</option>
            <option value="system">{t(actorKind.system)}</option>
            <option value="customer">{t(actorKind.customer)}</option>
            <option value="anonymous">{t(actorKind.anonymous)}</option>
          </select>
        </label>
        <EnumFilter
          label={t(msg('做了什么', 'Did what'))}
          id="audit-action"
          any={t(msg('所有操作', 'Anything'))}
          values={AuditAction.options}
          words={auditAction}
          value={action}
          onValue={(value) => setAction(value ?? '')}
        />
        <EnumFilter
          label={t(msg('对象', 'To what'))}
          id="audit-entity"
          any={t(msg('所有记录', 'Any record'))}
          values={AuditEntityType.options}
          words={auditEntity}
          value={entity}
          onValue={(value) => setEntity(value ?? '')}
        />
        <label>
          {t(msg('日期', 'Day'))}
          <input type="date" id="audit-day" value={day} onChange={(e) => setDay(e.currentTarget.value)} />
        </label>
      </form>
      {first.data ? (
        entries.length ? (
          // One sentence per entry (who did what to whom), so it wraps on a phone instead of scrolling.
          <ul class="list" id="audit">
            {entries.map((e) => (
              <li key={e.id} data-action={e.action}>
                <time dateTime={e.at.toISOString()}>{dateTime(lang, e.at)}</time> · <strong>{who(lang, e)}</strong>{' '}
                {t(auditAction[e.action])} · {whom(lang, e)}
                {e.details ? <div class="muted">{detailText(lang, e)}</div> : null}
                {e.action === 'customer.merge' && typeof e.details?.mergeId === 'number' ? (
                  <UndoMerge mergeId={e.details.mergeId} />
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t(msg('没有符合条件的记录', 'Nothing matches'))}</Empty>
        )
      ) : (
        <Loading error={first.error} />
      )}
      {cursor ? (
        <ActionButton
          id="audit-more"
          run={async () => {
            const more = await api.audit({ ...filters, cursor });
            setPages((current) => [...current, more]);
          }}
        >
          {t(msg('更早的记录', 'Older entries'))}
        </ActionButton>
      ) : null}
    </Section>
  );
}

/** A merge is reversed from its audit entry (409 with a message when it was already undone). */
function UndoMerge(props: { mergeId: number }) {
  const { t } = useLanguage();
  const toast = useToast();
  const [undone, setUndone] = useState(false);
  if (undone) return <div class="muted">{t(msg('已撤销', 'Undone'))}</div>;
  return (
    <ActionButton
      class="link undo-merge"
      run={async () => {
        await api.undoMerge(props.mergeId);
        setUndone(true);
        toast(t(msg('已撤销合并', 'The merge was undone')));
      }}
    >
      {t(msg('撤销此合并', 'Undo this merge'))}
    </ActionButton>
  );
}
