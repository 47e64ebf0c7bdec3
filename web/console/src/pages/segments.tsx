// Segments (客户分群, admin): a visual rule builder — conditions picked from lists, combined with
// "all" or "any", each one excludable — with the live audience size and sample members, and the
// saved segments (edit, delete) described in words. The rules are checked with the server's own
// schema before they are sent, so an unfinished condition never reaches the API.
import { useEffect, useState } from 'preact/hooks';
import { type profileFields, type SegmentRule, SegmentRules } from '../../../../src/domain/segment-rules.ts';
import type { SegmentMember, SegmentPreview, SegmentView } from '../../../../src/http/schemas/back-office.ts';
import {
  ChannelName,
  LifecycleStage,
  RfmSegment,
  Tier,
  type Tier as TierName,
} from '../../../../src/http/schemas/vocabulary.ts';
import { ApiError, api } from '../api.ts';
import { type Language, type Message, money, msg, useLanguage } from '../i18n.ts';
import {
  ActionButton,
  Badge,
  EditButton,
  Empty,
  errorText,
  Field,
  Loading,
  Section,
  Table,
  useLoad,
  useToast,
} from '../ui.tsx';
import { channel, lifecycle, rfmSegment, tier } from '../words.ts';

// ── The builder's model ────────────────────────────────────────────────────────────────────────
const kinds = [
  'tier',
  'lifecycle',
  'rfmSegment',
  'tag',
  'channel',
  'consent',
  'bought',
  'noOrderWithin',
  'interest',
  'joinedWithin',
  'number',
] as const;
type Kind = (typeof kinds)[number];
/** A condition the builder edits: one leaf of the rule language. */
type Leaf = Extract<SegmentRule, { type: Kind }>;
interface Condition {
  rule: Leaf;
  exclude: boolean;
}
type Match = 'and' | 'or';

const kindWords: Record<Kind, Message> = {
  tier: msg('会员等级', 'Membership tier'),
  lifecycle: msg('生命周期', 'Lifecycle stage'),
  rfmSegment: msg('RFM 分层', 'RFM segment'),
  tag: msg('标签', 'Tag'),
  channel: msg('渠道', 'Channel'),
  consent: msg('营销消息', 'Marketing messages'),
  bought: msg('购买过', 'Bought'),
  noOrderWithin: msg('多少天没有下单', 'No order for'),
  interest: msg('咨询过商品', 'Asked about a product'),
  joinedWithin: msg('最近加入', 'Joined recently'),
  number: msg('积分 / 消费 / 订单数', 'Points / spend / orders'),
};
const numberFields = ['points', 'totalSpent', 'orderCount'] as const;
type NumberField = (typeof numberFields)[number];
const numberWords: Record<NumberField, Message> = {
  points: msg('积分', 'Points'),
  totalSpent: msg('累计消费（元）', 'Total spent (¥)'),
  orderCount: msg('订单数', 'Orders'),
};

const fieldWords: Record<(typeof profileFields)[number], Message> = {
  name: msg('姓名', 'name'),
  phone: msg('手机号', 'phone'),
  email: msg('邮箱', 'email'),
  locale: msg('语言', 'language'),
  birthday: msg('生日', 'birthday'),
};
const fieldOps: Record<'eq' | 'contains' | 'exists' | 'missing', Message> = {
  eq: msg('{field}为「{value}」', '{field} is "{value}"'),
  contains: msg('{field}包含「{value}」', '{field} contains "{value}"'),
  exists: msg('已填写{field}', 'has a {field}'),
  missing: msg('未填写{field}', 'no {field}'),
};

function fresh(kind: Kind): Leaf {
  switch (kind) {
    case 'tier':
      return { type: 'tier', in: ['gold'] };
    case 'lifecycle':
      return { type: 'lifecycle', in: ['dormant'] };
    case 'rfmSegment':
      return { type: 'rfmSegment', in: ['important_value'] };
    case 'tag':
      return { type: 'tag', tag: '' };
    case 'channel':
      return { type: 'channel', channel: 'wechat' };
    case 'consent':
      return { type: 'consent', optIn: true };
    case 'bought':
      return { type: 'bought' };
    case 'noOrderWithin':
      return { type: 'noOrderWithin', days: 90 };
    case 'interest':
      return { type: 'interest' };
    case 'joinedWithin':
      return { type: 'joinedWithin', days: 30 };
    case 'number':
      return { type: 'number', field: 'points', gte: 100 };
  }
}

function isLeaf(rule: SegmentRule): rule is Leaf {
  return (kinds as readonly string[]).includes(rule.type) && (rule.type !== 'number' || isNumberField(rule.field));
}
function isNumberField(field: string): field is NumberField {
  return (numberFields as readonly string[]).includes(field);
}

/** The rule tree the conditions make (one condition stands alone). */
export function toRules(match: Match, conditions: Condition[]): SegmentRule | null {
  const leaves = conditions.map((c): SegmentRule => (c.exclude ? { type: 'not', rule: c.rule } : c.rule));
  if (leaves.length === 0) return null;
  if (leaves.length === 1) return leaves[0] ?? null;
  return { type: match, rules: leaves };
}

/** The builder's view of saved rules; null when they use more than the builder shows (made through the API). */
function fromRules(rule: SegmentRule): { match: Match; conditions: Condition[] } | null {
  const one = (r: SegmentRule): Condition | null => {
    if (r.type === 'not') return isLeaf(r.rule) ? { rule: r.rule, exclude: true } : null;
    return isLeaf(r) ? { rule: r, exclude: false } : null;
  };
  if (rule.type === 'and' || rule.type === 'or') {
    const conditions = rule.rules.map(one);
    return conditions.every((c) => c !== null)
      ? { match: rule.type, conditions: conditions.flatMap((c) => (c ? [c] : [])) }
      : null;
  }
  const single = one(rule);
  return single ? { match: 'and', conditions: [single] } : null;
}

/** A rule tree in words, for the list of saved segments. */
export function describe(lang: Language, rule: SegmentRule): string {
  const { t } = lang;
  const list = (items: string[]) => items.join(lang.locale === 'en' ? ', ' : '、');
  const days = (n: number) => t(msg('{n} 天', '{n} days'), { n });
  const is = (kind: Kind, value: string) =>
    t(msg('{kind}：{value}', '{kind}: {value}'), { kind: t(kindWords[kind]), value });
  switch (rule.type) {
    case 'and':
      return rule.rules.map((r) => describe(lang, r)).join(t(msg(' 且 ', ' and ')));
    case 'or':
      return rule.rules.map((r) => describe(lang, r)).join(t(msg(' 或 ', ' or ')));
    case 'not':
      return t(msg('不是（{x}）', 'not ({x})'), { x: describe(lang, rule.rule) });
    case 'tier':
      return is('tier', list(rule.in.map((x) => t(tier[x]))));
    case 'lifecycle':
      return is('lifecycle', list(rule.in.map((x) => t(lifecycle[x]))));
    case 'rfmSegment':
      return is('rfmSegment', list(rule.in.map((x) => t(rfmSegment[x]))));
    case 'tag':
      return is('tag', rule.tag);
    case 'channel':
      return is('channel', t(channel[rule.channel]));
    case 'consent':
      return t(rule.optIn ? msg('同意接收营销消息', 'opted in to marketing') : msg('未同意营销消息', 'not opted in'));
    case 'bought':
    case 'interest': {
      const what = rule.sku ?? ('category' in rule && rule.category ? rule.category : t(msg('任意商品', 'anything')));
      const within = rule.withinDays ? t(msg('（{d}内）', ' (within {d})'), { d: days(rule.withinDays) }) : '';
      return is(rule.type, `${what}${within}`);
    }
    case 'noOrderWithin':
      return is('noOrderWithin', days(rule.days));
    case 'joinedWithin':
      return t(msg('{d}内加入', 'joined within {d}'), { d: days(rule.days) });
    case 'number': {
      const name = isNumberField(rule.field) ? t(numberWords[rule.field]) : rule.field;
      const show = (v: number) => (rule.field === 'totalSpent' ? money(v) : String(v));
      const parts = [
        rule.gte !== undefined ? `≥ ${show(rule.gte)}` : '',
        rule.lte !== undefined ? `≤ ${show(rule.lte)}` : '',
      ].filter(Boolean);
      return `${name} ${parts.join(' ')}`;
    }
    case 'field':
      return t(fieldOps[rule.op], { field: t(fieldWords[rule.field]), value: rule.value ?? '' });
    case 'survey':
      return t(msg('满意度调查 {m}', 'survey {m}'), { m: rule.metric.toUpperCase() });
    case 'group':
      return t(msg('{n} 个群的成员', 'members of {n} groups'), { n: rule.chatIds.length });
    case 'customers':
      return t(msg('指定的 {n} 位客户', '{n} chosen customers'), { n: rule.ids.length });
  }
}

// ── The page ───────────────────────────────────────────────────────────────────────────────────
export function SegmentsPage() {
  const { t } = useLanguage();
  const lang = useLanguage();
  const toast = useToast();
  const list = useLoad(() => api.segments(), []);
  const [editing, setEditing] = useState<SegmentView | null>(null);
  const [formKey, setFormKey] = useState(0);
  const edit = (segment: SegmentView | null) => {
    setEditing(segment);
    setFormKey((k) => k + 1);
  };
  return (
    <div class="split">
      <Section title={t(msg('已保存的分群', 'Saved segments'))}>
        {list.data ? (
          list.data.segments.length ? (
            <ul class="list segments" id="segments">
              {list.data.segments.map((s) => (
                <li key={s.id} data-id={s.id} class={editing?.id === s.id ? 'selected' : ''}>
                  <div class="row-top">
                    <strong>{s.name}</strong>
                    <Badge>{t(msg('{n} 人', '{n} people'), { n: s.lastCount ?? 0 })}</Badge>
                  </div>
                  <small class="muted">
                    {s.rules ? describe(lang, s.rules) : t(msg('条件无法读取', 'Rules unreadable'))}
                  </small>
                  <div class="row">
                    <EditButton onEdit={() => edit(s)} />
                    <a href={`/console/campaigns?segment=${s.id}`}>{t(msg('用它群发', 'Send a campaign'))}</a>
                    <ActionButton
                      class="delete"
                      run={async () => {
                        if (
                          !window.confirm(t(msg('删除分群「{name}」？', 'Delete segment "{name}"?'), { name: s.name }))
                        )
                          return;
                        try {
                          await api.deleteSegment(s.id);
                        } catch (error) {
                          if (error instanceof ApiError && error.status === 409) {
                            toast(
                              t(
                                msg(
                                  '还有未结束的群发在使用这个分群，结束或取消后才能删除',
                                  'A campaign that has not finished uses this segment: finish or cancel it first',
                                ),
                              ),
                              { tone: 'error' },
                            );
                            return;
                          }
                          throw error;
                        }
                        if (editing?.id === s.id) edit(null);
                        toast(t(msg('已删除', 'Deleted')));
                        await list.reload();
                      }}
                    >
                      {t(msg('删除', 'Delete'))}
                    </ActionButton>
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{t(msg('还没有分群', 'No segments yet'))}</Empty>
          )
        ) : (
          <Loading error={list.error} />
        )}
      </Section>
      <SegmentForm
        key={formKey}
        segment={editing}
        onSaved={async () => {
          edit(null);
          await list.reload();
        }}
        onCancel={() => edit(null)}
      />
    </div>
  );
}

function SegmentForm(props: { segment: SegmentView | null; onSaved: () => Promise<void>; onCancel: () => void }) {
  const lang = useLanguage();
  const { t } = lang;
  const toast = useToast();
  const initial = props.segment?.rules ? fromRules(props.segment.rules) : null;
  const readOnly = Boolean(props.segment && !initial);
  const [name, setName] = useState(props.segment?.name ?? '');
  const [description, setDescription] = useState(props.segment?.description ?? '');
  const [match, setMatch] = useState<Match>(initial?.match ?? 'and');
  const [conditions, setConditions] = useState<Condition[]>(
    initial?.conditions ?? [{ rule: fresh('consent'), exclude: false }],
  );
  const rules = readOnly ? (props.segment?.rules ?? null) : toRules(match, conditions);
  const checked = rules ? SegmentRules.safeParse(rules) : null;
  const valid = checked?.success === true;
  const key = JSON.stringify(rules);
  const [preview, setPreview] = useState<SegmentPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  useEffect(() => {
    if (!valid || !checked?.success) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      api
        .previewSegment({ rules: checked.data, sample: 10 })
        .then((p) => {
          if (cancelled) return;
          setPreview(p);
          setPreviewError(null);
        })
        .catch((error: unknown) => {
          if (!cancelled) setPreviewError(errorText(error));
        });
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key]);
  const update = (i: number, next: Condition) => setConditions(conditions.map((c, j) => (j === i ? next : c)));
  return (
    <Section title={props.segment ? t(msg('编辑分群', 'Edit segment')) : t(msg('新建分群', 'New segment'))}>
      <form
        class="stack"
        id="segment-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!checked?.success) return;
          const body = { name, description: description.trim() || null, rules: checked.data };
          try {
            if (props.segment) await api.updateSegment(props.segment.id, body);
            else await api.createSegment(body);
            toast(t(msg('分群已保存', 'Segment saved')));
            await props.onSaved();
          } catch (error) {
            const taken = error instanceof ApiError && error.status === 409;
            const text = taken
              ? t(msg('已有同名的分群，请换一个名称', 'A segment with this name exists: choose another name'))
              : error instanceof Error
                ? error.message
                : String(error);
            toast(text, { tone: 'error' });
          }
        }}
      >
        <Field
          label={t(msg('名称', 'Name'))}
          id="segment-name"
          required
          maxLength={100}
          value={name}
          onValue={setName}
        />
        <Field
          label={t(msg('说明（可选）', 'Description (optional)'))}
          id="segment-description"
          maxLength={500}
          value={description}
          onValue={setDescription}
        />
        {readOnly ? (
          <p class="muted" id="segment-readonly">
            {t(
              msg(
                '这个分群的条件是通过接口创建的，这里只能查看：{rules}',
                'This segment was made through the API; its rules can only be read here: {rules}',
              ),
              { rules: rules ? describe(lang, rules) : '' },
            )}
          </p>
        ) : (
          <>
            <label>
              {t(msg('满足方式', 'Match'))}
              <select
                id="segment-match"
                value={match}
                onChange={(e) => setMatch(e.currentTarget.value === 'or' ? 'or' : 'and')}
              >
                <option value="and">{t(msg('满足全部条件', 'All of the conditions'))}</option>
                <option value="or">{t(msg('满足任一条件', 'Any of the conditions'))}</option>
              </select>
            </label>
            <ol class="rules" id="segment-rules">
              {conditions.map((c, i) => (
                <li key={i} class="rule">
                  <ConditionEditor
                    index={i}
                    condition={c}
                    onChange={(next) => update(i, next)}
                    onRemove={conditions.length > 1 ? () => setConditions(conditions.filter((_, j) => j !== i)) : null}
                  />
                </li>
              ))}
            </ol>
            <div class="row">
              <button
                type="button"
                id="rule-add"
                disabled={conditions.length >= 20}
                onClick={() => setConditions([...conditions, { rule: fresh('tier'), exclude: false }])}
              >
                {t(msg('添加条件', 'Add a condition'))}
              </button>
            </div>
          </>
        )}
        <div class="segment-preview" aria-live="polite">
          {!valid ? (
            <p class="muted" id="segment-incomplete">
              {t(msg('请把条件填写完整', 'Finish the conditions to see who matches'))}
            </p>
          ) : previewError ? (
            <p class="error" role="alert">
              {previewError}
            </p>
          ) : preview ? (
            <Members preview={preview} />
          ) : (
            <p class="muted">{t(msg('正在计算…', 'Counting…'))}</p>
          )}
        </div>
        <div class="row">
          <button type="submit" class="primary" id="segment-save" disabled={!valid}>
            {props.segment ? t(msg('保存修改', 'Save changes')) : t(msg('保存分群', 'Save segment'))}
          </button>
          {props.segment ? (
            <button type="button" onClick={props.onCancel}>
              {t(msg('取消', 'Cancel'))}
            </button>
          ) : null}
        </div>
      </form>
    </Section>
  );
}

/** The live audience size and the first members. */
export function Members(props: { preview: SegmentPreview; caption?: string }) {
  const lang = useLanguage();
  const { t } = lang;
  return (
    <>
      <p>
        <strong id="segment-count" data-count={props.preview.count}>
          {t(msg('符合条件：{n} 人', 'Matching: {n} people'), { n: props.preview.count })}
        </strong>
      </p>
      {props.preview.sample.length ? (
        <Table
          id="segment-sample"
          caption={props.caption ?? t(msg('部分成员', 'Some of them'))}
          head={[
            t(msg('客户', 'Customer')),
            t(msg('等级', 'Tier')),
            t(msg('阶段', 'Stage')),
            t(msg('积分', 'Points')),
            t(msg('营销消息', 'Marketing')),
          ]}
        >
          {props.preview.sample.map((m) => (
            <tr key={m.id} data-id={m.id}>
              <td>
                <a href={`/console/customers/${m.id}`}>{memberName(lang, m)}</a>
              </td>
              <td>{t(tier[m.tier])}</td>
              <td>{t(lifecycle[m.lifecycleStage])}</td>
              <td>{m.pointsBalance}</td>
              <td>{t(m.marketingOptIn ? msg('已同意', 'Opted in') : msg('未同意', 'Not opted in'))}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </>
  );
}

export function memberName(lang: Language, m: Pick<SegmentMember, 'id' | 'name'>): string {
  return m.name ?? lang.t(msg('客户 #{id}', 'Customer #{id}'), { id: m.id });
}

/** One condition: its kind, its values, and "exclude". */
function ConditionEditor(props: {
  index: number;
  condition: Condition;
  onChange: (next: Condition) => void;
  onRemove: (() => void) | null;
}) {
  const { t } = useLanguage();
  const { rule, exclude } = props.condition;
  const n = props.index + 1;
  const set = (next: Leaf) => props.onChange({ rule: next, exclude });
  const id = `rule-${props.index}`;
  return (
    <fieldset class="rule-edit">
      <legend>{t(msg('条件 {n}', 'Condition {n}'), { n })}</legend>
      <label>
        {t(msg('条件类型', 'Condition'))}
        <select
          id={`${id}-kind`}
          class="rule-kind"
          value={rule.type}
          onChange={(e) => {
            const kind = kinds.find((k) => k === e.currentTarget.value);
            if (kind) set(fresh(kind));
          }}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(kindWords[k])}
            </option>
          ))}
        </select>
      </label>
      <Values id={id} rule={rule} onChange={set} />
      <label class="inline">
        <input
          type="checkbox"
          class="rule-exclude"
          checked={exclude}
          onChange={(e) => props.onChange({ rule, exclude: e.currentTarget.checked })}
        />
        {t(msg('排除符合的客户', 'Exclude these customers'))}
      </label>
      {props.onRemove ? (
        <button
          type="button"
          class="rule-remove"
          aria-label={t(msg('删除条件 {n}', 'Remove condition {n}'), { n })}
          onClick={props.onRemove}
        >
          {t(msg('删除', 'Remove'))}
        </button>
      ) : null}
    </fieldset>
  );
}

function Values(props: { id: string; rule: Leaf; onChange: (rule: Leaf) => void }) {
  const { t } = useLanguage();
  const { rule, onChange, id } = props;
  const int = (value: string): number | undefined => (/^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined);
  const daysInput = (label: Message, value: number | undefined, set: (v: number | undefined) => void) => (
    <Field
      label={t(label)}
      class="rule-days"
      type="number"
      min={1}
      max={3650}
      value={value ?? ''}
      onValue={(value) => set(int(value))}
    />
  );
  switch (rule.type) {
    case 'tier':
      return (
        <Choices
          legend={t(msg('等级', 'Tiers'))}
          options={Tier.options}
          words={(x) => t(tier[x])}
          chosen={rule.in}
          onChange={(chosen: TierName[]) => onChange({ type: 'tier', in: chosen })}
        />
      );
    case 'lifecycle':
      return (
        <Choices
          legend={t(msg('阶段', 'Stages'))}
          options={LifecycleStage.options}
          words={(x) => t(lifecycle[x])}
          chosen={rule.in}
          onChange={(chosen) => onChange({ type: 'lifecycle', in: chosen })}
        />
      );
    case 'rfmSegment':
      return (
        <Choices
          legend={t(msg('分层', 'Segments'))}
          options={RfmSegment.options}
          words={(x) => t(rfmSegment[x])}
          chosen={rule.in}
          onChange={(chosen) => onChange({ type: 'rfmSegment', in: chosen })}
        />
      );
    case 'tag':
      return (
        <Field
          label={t(msg('标签名', 'Tag'))}
          id={`${id}-tag`}
          class="rule-tag"
          maxLength={64}
          value={rule.tag}
          onValue={(value) => onChange({ type: 'tag', tag: value.trim() })}
        />
      );
    case 'channel':
      return (
        <label>
          {t(msg('渠道', 'Channel'))}
          <select
            value={rule.channel}
            onChange={(e) => {
              const picked = ChannelName.safeParse(e.currentTarget.value);
              if (picked.success) onChange({ type: 'channel', channel: picked.data });
            }}
          >
            {ChannelName.options.map((c) => (
              <option key={c} value={c}>
                {t(channel[c])}
              </option>
            ))}
          </select>
        </label>
      );
    case 'consent':
      return (
        <label>
          {t(msg('状态', 'Status'))}
          <select
            value={rule.optIn ? 'yes' : 'no'}
            onChange={(e) => onChange({ type: 'consent', optIn: e.currentTarget.value === 'yes' })}
          >
            <option value="yes">{t(msg('同意接收', 'Opted in'))}</option>
            <option value="no">{t(msg('未同意', 'Not opted in'))}</option>
          </select>
        </label>
      );
    case 'bought':
    case 'interest': {
      const type = rule.type;
      const sku = rule.sku;
      return (
        <>
          <label>
            {t(msg('商品编号（留空 = 任意商品）', 'SKU (empty = any product)'))}
            <input
              class="rule-sku"
              maxLength={64}
              value={sku ?? ''}
              onInput={(e) => {
                const v = e.currentTarget.value.trim();
                const { sku: _old, ...rest } = rule;
                onChange(v ? { ...rest, type, sku: v } : { ...rest, type });
              }}
            />
          </label>
          {daysInput(msg('最近多少天内（留空 = 不限）', 'Within days (empty = ever)'), rule.withinDays, (v) => {
            const { withinDays: _old, ...rest } = rule;
            onChange(v === undefined ? { ...rest, type } : { ...rest, type, withinDays: v });
          })}
        </>
      );
    }
    case 'noOrderWithin':
      return daysInput(msg('天数', 'Days'), rule.days, (v) => onChange({ type: 'noOrderWithin', days: v ?? 0 }));
    case 'joinedWithin':
      return daysInput(msg('天数', 'Days'), rule.days, (v) => onChange({ type: 'joinedWithin', days: v ?? 0 }));
    case 'number': {
      const field = isNumberField(rule.field) ? rule.field : 'points';
      const scale = field === 'totalSpent' ? 100 : 1;
      const bound = (key: 'gte' | 'lte', label: Message) => (
        <label>
          {t(label)}
          <input
            class={`rule-${key}`}
            type="number"
            min={0}
            value={rule[key] === undefined ? '' : rule[key] / scale}
            onInput={(e) => {
              const v = e.currentTarget.value.trim();
              const { [key]: _old, ...rest } = rule;
              onChange(v === '' || Number.isNaN(Number(v)) ? rest : { ...rest, [key]: Math.round(Number(v) * scale) });
            }}
          />
        </label>
      );
      return (
        <>
          <label>
            {t(msg('指标', 'Measure'))}
            <select
              value={field}
              onChange={(e) => {
                const next = numberFields.find((f) => f === e.currentTarget.value);
                if (next) onChange({ type: 'number', field: next, gte: 1 });
              }}
            >
              {numberFields.map((f) => (
                <option key={f} value={f}>
                  {t(numberWords[f])}
                </option>
              ))}
            </select>
          </label>
          {bound('gte', msg('至少', 'At least'))}
          {bound('lte', msg('至多', 'At most'))}
        </>
      );
    }
  }
}

function Choices<T extends string>(props: {
  legend: string;
  options: readonly T[];
  words: (x: T) => string;
  chosen: T[];
  onChange: (chosen: T[]) => void;
}) {
  return (
    <fieldset class="choices">
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label class="inline" key={o}>
          <input
            type="checkbox"
            value={o}
            checked={props.chosen.includes(o)}
            onChange={(e) =>
              props.onChange(e.currentTarget.checked ? [...props.chosen, o] : props.chosen.filter((x) => x !== o))
            }
          />
          {props.words(o)}
        </label>
      ))}
    </fieldset>
  );
}
