// Campaigns (admin): the list; an editor (saved segment or everyone who consented, text per
// language, buttons that open a flow or a product, channels, now, later or as a draft) with a preview
// as a chosen recipient; live progress with reasons (and quiet hours holding messages), results as a
// table and charts, and only the actions the campaign's state allows.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { z } from 'zod';
import type { SegmentRule } from '../../../../src/domain/segment-rules.ts';
import {
  type CampaignButtonBody,
  CampaignButtonFlow,
  type CampaignCreateBody,
  type CampaignDetail as CampaignDetailView,
  type CampaignMessageBody,
  type CampaignPreview,
  type CampaignProgress,
  CampaignProgress as ProgressSchema,
  productButtonPrefix,
  type SegmentView,
} from '../../../../src/http/schemas/back-office.ts';
import type { ProductView } from '../../../../src/http/schemas/catalog.ts';
import { type CampaignStatus, ChannelName } from '../../../../src/http/schemas/vocabulary.ts';
import { api, openStream } from '../api.ts';
import { Chart } from '../chart.tsx';
import { dateTime, type Language, money, msg, useLanguage } from '../i18n.ts';
import { ActionButton, Badge, Empty, errorText, Field, Loading, Section, Table, useLoad, useToast } from '../ui.tsx';
import { buttonFlow, campaignStatus, channel, deliveryStatus, skipReason } from '../words.ts';
import { memberName } from './segments.tsx';

type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';
const allowed: Record<CampaignAction, CampaignStatus[]> = {
  start: ['draft'],
  pause: ['running', 'scheduled'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'running', 'paused'],
};
const actionWords = {
  start: msg('开始', 'Start'),
  pause: msg('暂停', 'Pause'),
  resume: msg('继续', 'Resume'),
  cancel: msg('取消活动', 'Cancel'),
};

export function CampaignsPage(props: { id?: string }) {
  const lang = useLanguage();
  const { t } = lang;
  const selected = props.id && /^\d+$/.test(props.id) ? Number(props.id) : null;
  const list = useLoad(() => api.campaigns(), []);
  return (
    <div class="split">
      <Section
        title={t(msg('群发活动', 'Campaigns'))}
        actions={
          selected ? (
            <a href="/console/campaigns" id="campaign-new">
              {t(msg('新建群发', 'New campaign'))}
            </a>
          ) : null
        }
      >
        {list.data ? (
          list.data.campaigns.length ? (
            <ul class="list" id="campaigns">
              {list.data.campaigns.map((c) => (
                <li key={c.id} class={c.id === selected ? 'selected' : ''}>
                  <a href={`/console/campaigns/${c.id}`} aria-current={c.id === selected ? 'true' : undefined}>
                    {c.name}
                  </a>{' '}
                  <Badge tone={c.status}>{t(campaignStatus[c.status])}</Badge>{' '}
                  <small class="muted">{dateTime(lang, c.scheduledAt ?? c.createdAt)}</small>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{t(msg('还没有群发活动', 'No campaigns yet'))}</Empty>
          )
        ) : (
          <Loading error={list.error} />
        )}
      </Section>
      {selected ? (
        <CampaignDetail key={selected} id={selected} onChanged={list.reload} />
      ) : (
        <CampaignEditor onSaved={list.reload} />
      )}
    </div>
  );
}

/** A button as the editor holds it: labels, and what it opens (nothing, a flow, or a product). */
interface ButtonDraft {
  label: string;
  labelEn: string;
  target: 'none' | 'product' | CampaignButtonFlow;
  sku: string;
}
const noButton: ButtonDraft = { label: '', labelEn: '', target: 'menu', sku: '' };

function buttonBody(b: ButtonDraft): CampaignButtonBody {
  const action = b.target === 'none' ? undefined : b.target === 'product' ? `${productButtonPrefix}${b.sku}` : b.target;
  return {
    label: b.label.trim(),
    ...(b.labelEn.trim() ? { labelEn: b.labelEn.trim() } : {}),
    ...(action ? { action } : {}),
  };
}

/** What a stored button action opens, in words. */
function targetWords(lang: Language, action: string | null | undefined, products: ProductView[]): string {
  const { t } = lang;
  if (!action) return t(msg('仅记录点击', 'Counts the click only'));
  const sku = action.startsWith('presale:ask:') ? action.slice('presale:ask:'.length) : null;
  if (sku) {
    const product = products.find((p) => p.sku === sku);
    const name = product ? (lang.locale === 'en' ? (product.nameEn ?? product.name) : product.name) : sku;
    return t(msg('商品：{name}', 'Product: {name}'), { name });
  }
  const flow = CampaignButtonFlow.safeParse(action.split(':')[0]);
  return flow.success ? t(buttonFlow[flow.data]) : action;
}

/** A stored button as the editor holds it (the reverse of `buttonBody`). */
function buttonDraft(b: CampaignButtonBody): ButtonDraft {
  const sku = b.action?.startsWith(productButtonPrefix) ? b.action.slice(productButtonPrefix.length) : null;
  const flow = CampaignButtonFlow.safeParse(b.action);
  return {
    label: b.label,
    labelEn: b.labelEn ?? '',
    target: sku !== null ? 'product' : flow.success ? flow.data : 'none',
    sku: sku ?? '',
  };
}

/** `datetime-local` value of an instant, in the browser's zone (what `new Date(value)` reads back). */
function localInput(at: Date): string {
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * The audience choice the editor offers for a stored campaign ('consent' or a segment id), or null
 * when it was made elsewhere (customer ids from win-back, group chats) and the editor cannot show it.
 */
function editorAudience(c: CampaignDetailView): string | null {
  if (c.segmentId !== null) return String(c.segmentId);
  const consent = z.object({ rules: z.object({ type: z.literal('consent'), optIn: z.literal(true) }) });
  return consent.safeParse(c.audience).success ? 'consent' : null;
}

/** Whether the console's editor can change this campaign: nothing sent yet, and a form it can show. */
export function editableInConsole(c: CampaignDetailView, status: CampaignStatus): boolean {
  return (status === 'draft' || status === 'scheduled') && c.scheduleKind !== 'cron' && editorAudience(c) !== null;
}

/** A new campaign, or (with `editing`) a draft or scheduled one changed before it sends. */
function CampaignEditor(props: { editing?: CampaignDetailView; onSaved: () => Promise<void>; onCancel?: () => void }) {
  const lang = useLanguage();
  const { t } = lang;
  const toast = useToast();
  const { route, query } = useLocation();
  const segments = useLoad(() => api.segments(), []);
  const products = useLoad(() => api.products(), []);
  const editing = props.editing;
  const preset = query.segment && /^\d+$/.test(query.segment) ? query.segment : 'consent';
  const [form, setForm] = useState(() =>
    editing
      ? {
          name: editing.name,
          audience: editorAudience(editing) ?? 'consent',
          text: editing.message?.text ?? '',
          textEn: editing.message?.textEn ?? '',
          when: editing.scheduleKind === 'at' && editing.scheduledAt ? localInput(editing.scheduledAt) : '',
          draft: editing.status === 'draft',
        }
      : { name: '', audience: preset, text: '', textEn: '', when: '', draft: false },
  );
  const [channels, setChannels] = useState<ChannelName[]>(editing ? editing.channels : ['wechat', 'telegram']);
  const [buttons, setButtons] = useState<ButtonDraft[]>(() => (editing?.message?.buttons ?? []).map(buttonDraft));
  const toggle = (name: ChannelName, on: boolean) =>
    setChannels(on ? [...channels, name] : channels.filter((c) => c !== name));
  const setButton = (i: number, patch: Partial<ButtonDraft>) =>
    setButtons(buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  const message: CampaignMessageBody = {
    text: form.text.trim(),
    ...(form.textEn.trim() ? { textEn: form.textEn.trim() } : {}),
    ...(buttons.length ? { buttons: buttons.map(buttonBody) } : {}),
  };
  const activeProducts = (products.data?.products ?? []).filter((p) => p.active);
  return (
    <Section title={editing ? t(msg('编辑群发', 'Edit campaign')) : t(msg('新建群发', 'New campaign'))}>
      <form
        class="stack"
        id="campaign-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const body: CampaignCreateBody = {
            name: form.name,
            audience:
              form.audience === 'consent'
                ? { rules: { type: 'consent', optIn: true } }
                : { segmentId: Number(form.audience) },
            message,
            channels,
            schedule: form.when ? { kind: 'at', at: new Date(form.when).toISOString() } : { kind: 'now' },
            ...(form.draft ? { draft: true } : {}),
          };
          try {
            const saved = editing ? await api.editCampaign(editing.id, body) : await api.createCampaign(body);
            await props.onSaved();
            if (editing) toast(t(msg('已保存修改', 'Changes saved')));
            else route(`/console/campaigns/${saved.id}`);
          } catch (error) {
            toast(errorText(error), { tone: 'error' });
          }
        }}
      >
        <Field
          label={t(msg('名称', 'Name'))}
          id="campaign-name"
          required
          value={form.name}
          onValue={(value) => setForm({ ...form, name: value })}
        />
        <label>
          {t(msg('受众', 'Audience'))}
          <select
            id="campaign-audience"
            value={form.audience}
            onChange={(e) => setForm({ ...form, audience: e.currentTarget.value })}
          >
            <option value="consent">
              {t(msg('所有同意接收营销消息的客户', 'Everyone who opted in to marketing'))}
            </option>
            {(segments.data?.segments ?? []).map((s) => (
              <option key={s.id} value={String(s.id)}>
                {t(msg('分群：{name}', 'Segment: {name}'), { name: s.name })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(
            msg(
              '中文消息（可用 {name} {points} {tier} {coupon}）',
              'Chinese text ({name} {points} {tier} {coupon} allowed)',
            ),
          )}
          <textarea
            id="campaign-text"
            required
            rows={3}
            value={form.text}
            onInput={(e) => setForm({ ...form, text: e.currentTarget.value })}
          />
        </label>
        <label>
          {t(
            msg(
              '英文消息（英文客户收到这条；留空则收到中文消息）',
              'English text (English-speaking customers get this; empty = they get the Chinese text)',
            ),
          )}
          <textarea
            id="campaign-text-en"
            rows={2}
            value={form.textEn}
            onInput={(e) => setForm({ ...form, textEn: e.currentTarget.value })}
          />
        </label>
        <fieldset class="buttons-edit" id="campaign-buttons">
          <legend>{t(msg('按钮（最多 3 个）', 'Buttons (up to 3)'))}</legend>
          {buttons.map((b, i) => (
            <div class="button-edit" key={i} data-index={i}>
              <Field
                label={t(msg('按钮 {n} 中文文字', 'Button {n} label (Chinese)'), { n: i + 1 })}
                class="button-label"
                required
                maxLength={32}
                value={b.label}
                onValue={(value) => setButton(i, { label: value })}
              />
              <Field
                label={t(msg('按钮 {n} 英文文字', 'Button {n} label (English)'), { n: i + 1 })}
                class="button-label-en"
                maxLength={32}
                value={b.labelEn}
                onValue={(value) => setButton(i, { labelEn: value })}
              />
              <label>
                {t(msg('按钮 {n} 打开', 'Button {n} opens'), { n: i + 1 })}
                <select
                  class="button-target"
                  value={b.target}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    const flow = CampaignButtonFlow.safeParse(v);
                    const target = flow.success ? flow.data : v === 'product' ? 'product' : 'none';
                    setButton(i, { target, sku: target === 'product' ? b.sku || activeProducts[0]?.sku || '' : b.sku });
                  }}
                >
                  {CampaignButtonFlow.options.map((f) => (
                    <option key={f} value={f}>
                      {t(buttonFlow[f])}
                    </option>
                  ))}
                  <option value="product">{t(msg('指定商品', 'A product'))}</option>
                  <option value="none">{t(msg('不打开（仅记录点击）', 'Nothing (count the click)'))}</option>
                </select>
              </label>
              {b.target === 'product' ? (
                <label>
                  {t(msg('按钮 {n} 的商品', 'Button {n} product'), { n: i + 1 })}
                  <select
                    class="button-product"
                    required
                    value={b.sku}
                    onChange={(e) => setButton(i, { sku: e.currentTarget.value })}
                  >
                    {activeProducts.map((p) => (
                      <option key={p.sku} value={p.sku}>
                        {lang.locale === 'en' ? (p.nameEn ?? p.name) : p.name} ({p.sku})
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
              <button
                type="button"
                class="button-remove"
                aria-label={t(msg('删除按钮 {n}', 'Remove button {n}'), { n: i + 1 })}
                onClick={() => setButtons(buttons.filter((_, j) => j !== i))}
              >
                {t(msg('删除', 'Remove'))}
              </button>
            </div>
          ))}
          {buttons.length < 3 ? (
            <button type="button" id="campaign-button-add" onClick={() => setButtons([...buttons, noButton])}>
              {t(msg('添加按钮', 'Add a button'))}
            </button>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>{t(msg('渠道', 'Channels'))}</legend>
          {ChannelName.options.map((name) => (
            <label class="inline" key={name}>
              <input
                type="checkbox"
                checked={channels.includes(name)}
                onChange={(e) => toggle(name, e.currentTarget.checked)}
              />{' '}
              {t(channel[name])}
            </label>
          ))}
        </fieldset>
        <Field
          label={t(msg('发送时间（留空 = 立即）', 'Send at (empty = now)'))}
          type="datetime-local"
          value={form.when}
          onValue={(value) => setForm({ ...form, when: value })}
        />
        <label class="inline">
          <input
            type="checkbox"
            id="campaign-draft"
            checked={form.draft}
            onChange={(e) => setForm({ ...form, draft: e.currentTarget.checked })}
          />
          {t(msg('先存为草稿（稍后手动开始）', 'Save as a draft (start it later)'))}
        </label>
        <RecipientPreview
          audience={form.audience}
          segments={segments.data?.segments ?? []}
          message={message}
          products={products.data?.products ?? []}
        />
        <div class="row">
          <button type="submit" class="primary" id={editing ? 'campaign-save' : 'campaign-create'}>
            {editing ? t(msg('保存修改', 'Save changes')) : t(msg('创建', 'Create'))}
          </button>
          {props.onCancel ? (
            <button type="button" id="campaign-edit-cancel" onClick={props.onCancel}>
              {t(msg('放弃修改', 'Discard changes'))}
            </button>
          ) : null}
        </div>
      </form>
    </Section>
  );
}

/** The audience's size and members; the message rendered for the member chosen (their language and values). */
function RecipientPreview(props: {
  audience: string;
  segments: SegmentView[];
  message: CampaignMessageBody;
  products: ProductView[];
}) {
  const lang = useLanguage();
  const { t } = lang;
  const segment = props.segments.find((s) => String(s.id) === props.audience);
  const rules: SegmentRule | null =
    props.audience === 'consent' ? { type: 'consent', optIn: true } : (segment?.rules ?? null);
  const audience = useLoad(
    async () => (rules ? api.previewSegment({ rules, sample: 20 }) : null),
    [JSON.stringify(rules)],
  );
  const [chosen, setChosen] = useState<number | null>(null);
  const members = audience.data?.sample ?? [];
  const recipient = members.find((m) => m.id === chosen) ?? members[0] ?? null;
  const [rendered, setRendered] = useState<CampaignPreview | null>(null);
  const key = JSON.stringify([props.message, recipient?.id]);
  useEffect(() => {
    if (!recipient || !props.message.text) {
      setRendered(null);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      api
        .previewCampaign({ message: props.message, customerId: recipient.id })
        .then((p) => {
          if (!cancelled) setRendered(p);
        })
        .catch(() => {
          if (!cancelled) setRendered(null);
        });
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key]);
  return (
    <fieldset class="recipient-preview" id="campaign-preview-box">
      <legend>{t(msg('预览', 'Preview'))}</legend>
      {audience.data ? (
        <p id="campaign-audience-count" data-count={audience.data.count}>
          {t(msg('受众约 {n} 人', 'About {n} recipients'), { n: audience.data.count })}
        </p>
      ) : null}
      {members.length ? (
        <label>
          {t(msg('以这位客户的身份预览', 'Preview as this customer'))}
          <select
            id="campaign-recipient"
            value={recipient ? String(recipient.id) : ''}
            onChange={(e) => setChosen(Number(e.currentTarget.value))}
          >
            {members.map((m) => (
              <option key={m.id} value={String(m.id)}>
                {memberName(lang, m)}
                {m.locale === 'en' ? ' · English' : ' · 中文'}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p class="muted">{t(msg('受众里还没有客户', 'Nobody in this audience yet'))}</p>
      )}
      {rendered ? (
        <div class="message bot preview-message" id="campaign-preview" lang={rendered.locale}>
          <div class="bubble">
            <p>{rendered.text}</p>
            {rendered.buttons.length ? (
              <ul class="chips">
                {rendered.buttons.map((b, i) => (
                  <li key={i} class="chip" title={targetWords(lang, b.action, props.products)}>
                    {b.label}
                    <small class="muted"> → {targetWords(lang, b.action, props.products)}</small>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </div>
      ) : recipient ? (
        <p class="muted">{t(msg('写好中文消息后显示预览', 'Write the Chinese text to see the preview'))}</p>
      ) : null}
    </fieldset>
  );
}

function CampaignDetail(props: { id: number; onChanged: () => Promise<void> }) {
  const lang = useLanguage();
  const { t } = lang;
  const detail = useLoad(() => api.campaign(props.id), [props.id]);
  const results = useLoad(() => api.campaignResults(props.id), [props.id]);
  const products = useLoad(() => api.products(), []);
  const [progress, setProgress] = useState<CampaignProgress | null>(null);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    void openStream(
      `/api/campaigns/${props.id}/stream`,
      (_event, data) => {
        const parsed = ProgressSchema.safeParse(data);
        if (parsed.success) setProgress(parsed.data);
      },
      { signal: controller.signal },
    );
    return () => controller.abort();
  }, [props.id]);
  const c = detail.data;
  const p = progress ?? c?.progress ?? null;
  const r = results.data;
  const statusKeys = ['sent', 'queued', 'sending', 'skipped', 'failed', 'unknown'] as const;
  const statusCounts = p ? statusKeys.map((key) => p[key]).join(',') : '';
  const charts = useMemo(
    () => ({
      progress: p
        ? {
            type: 'doughnut' as const,
            data: {
              labels: statusKeys.map((key) => t(deliveryStatus[key])),
              datasets: [{ label: t(msg('人数', 'Recipients')), data: statusKeys.map((key) => p[key]) }],
            },
          }
        : null,
      results: r
        ? {
            type: 'bar' as const,
            data: {
              labels: [
                t(msg('送达', 'Delivered')),
                t(msg('点击', 'Clicked')),
                t(msg('回复', 'Replied')),
                t(msg('下单', 'Orders')),
                t(msg('退订', 'Opted out')),
              ],
              datasets: [
                {
                  label: t(msg('人数', 'People')),
                  data: [r.delivered, r.clicked, r.replied, r.orders, r.optedOut],
                },
              ],
            },
            options: { plugins: { legend: { display: false } } },
          }
        : null,
    }),
    [statusCounts, r, t],
  );
  if (!c || !p) return <Loading error={detail.error} />;
  if (editing && editableInConsole(c, p.status))
    return (
      <CampaignEditor
        editing={c}
        onCancel={() => setEditing(false)}
        onSaved={async () => {
          await Promise.all([detail.reload(), props.onChanged()]);
          setProgress(null);
          setEditing(false);
        }}
      />
    );
  return (
    <Section title={c.name} id="campaign-detail">
      <p>
        <Badge tone={p.status}>{t(campaignStatus[p.status])}</Badge>{' '}
        <small class="muted">
          {c.scheduledAt
            ? t(msg('发送时间：{at}', 'Sends at {at}'), { at: dateTime(lang, c.scheduledAt) })
            : t(msg('创建于 {at}', 'Created {at}'), { at: dateTime(lang, c.createdAt) })}
        </small>
      </p>
      <div class="row">
        {editableInConsole(c, p.status) ? (
          <button type="button" id="campaign-edit" onClick={() => setEditing(true)}>
            {t(msg('编辑', 'Edit'))}
          </button>
        ) : null}
        {(Object.keys(allowed) as CampaignAction[])
          .filter((action) => allowed[action].includes(p.status))
          .map((action) => (
            <ActionButton
              key={action}
              id={`campaign-${action}`}
              run={async () => {
                if (
                  action === 'cancel' &&
                  !window.confirm(
                    t(
                      msg(
                        '取消这个群发？未发出的消息不会再发。',
                        'Cancel this campaign? Messages not yet sent will not be sent.',
                      ),
                    ),
                  )
                )
                  return;
                await api.campaignAction(props.id, action);
                await Promise.all([detail.reload(), props.onChanged()]);
                // The fresh detail speaks until the stream's next snapshot (it may predate the action).
                setProgress(null);
              }}
            >
              {t(actionWords[action])}
            </ActionButton>
          ))}
      </div>
      {p.heldUntil ? (
        <p class="notice" id="campaign-held" role="status">
          {t(msg('免打扰时段：等待中的消息将于 {at} 发出', 'Quiet hours: waiting messages go out at {at}'), {
            at: dateTime(lang, p.heldUntil),
          })}
        </p>
      ) : null}
      {c.message ? <MessageView message={c.message} products={products.data?.products ?? []} /> : null}
      <div class="tiles" id="campaign-progress">
        {statusKeys.map((key) => (
          <div class="tile" key={key}>
            <small>{t(deliveryStatus[key])}</small>
            <strong>{p[key]}</strong>
          </div>
        ))}
      </div>
      {p.reasons.length ? (
        <Table
          id="campaign-reasons"
          caption={t(msg('未发送的原因', 'Why messages were not sent'))}
          head={[t(msg('状态', 'Status')), t(msg('原因', 'Reason')), t(msg('人数', 'Recipients'))]}
        >
          {p.reasons.map((x) => (
            <tr key={`${x.status}-${x.reason}`}>
              <td>{t(deliveryStatus[x.status])}</td>
              <td>{skipReason(lang, x.reason)}</td>
              <td>{x.count}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {r ? (
        <div class="table-wrap">
          <table id="campaign-results">
            <caption>
              {t(msg('效果（发送后 {n} 天内）', 'Results ({n} days after sending)'), { n: r.windowDays })}
            </caption>
            <tbody>
              <tr>
                <th>{t(msg('送达', 'Delivered'))}</th>
                <td>{r.delivered}</td>
              </tr>
              <tr>
                <th>{t(msg('点击', 'Clicked'))}</th>
                <td>{r.clicked}</td>
              </tr>
              <tr>
                <th>{t(msg('回复', 'Replied'))}</th>
                <td>{r.replied}</td>
              </tr>
              <tr>
                <th>{t(msg('退订', 'Opted out'))}</th>
                <td>{r.optedOut}</td>
              </tr>
              <tr>
                <th>{t(msg('下单', 'Orders'))}</th>
                <td>{r.orders}</td>
              </tr>
              <tr>
                <th>{t(msg('成交额', 'Revenue'))}</th>
                <td>{money(r.revenue)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      ) : null}
      {p.total > 0 ? (
        <div class="charts">
          {charts.progress ? (
            <Chart
              id="campaign-chart-progress"
              config={charts.progress}
              label={t(msg('发送进度', 'Delivery progress'))}
            />
          ) : null}
          {charts.results ? (
            <Chart id="campaign-chart-results" config={charts.results} label={t(msg('群发效果', 'Campaign results'))} />
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}

/** The campaign's message per language and where each button leads, in words. */
function MessageView(props: { message: CampaignMessageBody; products: ProductView[] }) {
  const lang = useLanguage();
  const { t } = lang;
  const m = props.message;
  return (
    <dl class="facts" id="campaign-message">
      <dt>{t(msg('中文消息', 'Chinese text'))}</dt>
      <dd>{m.text}</dd>
      <dt>{t(msg('英文消息', 'English text'))}</dt>
      <dd>
        {m.textEn ?? t(msg('（无，英文客户收到中文消息）', '(none: English-speaking customers get the Chinese text)'))}
      </dd>
      {m.buttons?.length ? (
        <>
          <dt>{t(msg('按钮', 'Buttons'))}</dt>
          <dd>
            <ul class="list">
              {m.buttons.map((b, i) => (
                <li key={i}>
                  {b.label}
                  {b.labelEn ? ` / ${b.labelEn}` : ''} → {targetWords(lang, b.action, props.products)}
                </li>
              ))}
            </ul>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
