// Campaigns (admin, stage 1): the list, a simple editor (saved segment or everyone who consented,
// text per language, channels, now or later), live progress with reasons, results, and only the
// actions the campaign's state allows.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { type CampaignProgress, CampaignProgress as ProgressSchema } from '../../../../src/http/schemas/back-office.ts';
import { type CampaignStatus, ChannelName } from '../../../../src/http/schemas/vocabulary.ts';
import { api, openStream } from '../api.ts';
import { dateTime, money, msg, useLanguage } from '../i18n.ts';
import { ActionButton, Badge, Empty, Loading, Section, useLoad, useToast } from '../ui.tsx';
import { campaignStatus, channel, deliveryStatus, skipReason } from '../words.ts';

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
      <div class="stack">
        <Section title={t(msg('群发活动', 'Campaigns'))}>
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
        <NewCampaign onCreated={list.reload} />
      </div>
      {selected ? <CampaignDetail key={selected} id={selected} onChanged={list.reload} /> : null}
    </div>
  );
}

function NewCampaign(props: { onCreated: () => Promise<void> }) {
  const { t } = useLanguage();
  const toast = useToast();
  const { route } = useLocation();
  const segments = useLoad(() => api.segments(), []);
  const [form, setForm] = useState({ name: '', audience: 'consent', text: '', textEn: '', when: '' });
  const [channels, setChannels] = useState<ChannelName[]>(['wechat', 'telegram']);
  const toggle = (name: ChannelName, on: boolean) =>
    setChannels(on ? [...channels, name] : channels.filter((c) => c !== name));
  return (
    <Section title={t(msg('新建群发', 'New campaign'))}>
      <form
        class="stack"
        id="campaign-form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const created = await api.createCampaign({
              name: form.name,
              audience:
                form.audience === 'consent'
                  ? { rules: { type: 'consent', optIn: true } }
                  : { segmentId: Number(form.audience) },
              message: { text: form.text, ...(form.textEn.trim() ? { textEn: form.textEn.trim() } : {}) },
              channels,
              schedule: form.when ? { kind: 'at', at: new Date(form.when).toISOString() } : { kind: 'now' },
            });
            await props.onCreated();
            route(`/console/campaigns/${created.id}`);
          } catch (error) {
            toast(error instanceof Error ? error.message : String(error), { tone: 'error' });
          }
        }}
      >
        <label>
          {t(msg('名称', 'Name'))}
          <input required value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </label>
        <label>
          {t(msg('受众', 'Audience'))}
          <select value={form.audience} onChange={(e) => setForm({ ...form, audience: e.currentTarget.value })}>
            <option value="consent">
              {t(msg('所有同意接收营销消息的客户', 'Everyone who opted in to marketing'))}
            </option>
            {(segments.data?.segments ?? []).map((s) => (
              <option value={s.id}>{s.name}</option>
            ))}
          </select>
        </label>
        <label>
          {t(msg('中文消息（可用 {name} {points} {tier}）', 'Chinese text ({name} {points} {tier} allowed)'))}
          <textarea
            required
            rows={3}
            value={form.text}
            onInput={(e) => setForm({ ...form, text: e.currentTarget.value })}
          />
        </label>
        <label>
          {t(msg('英文消息（英文客户收到这条）', 'English text (English-speaking customers get this)'))}
          <textarea rows={2} value={form.textEn} onInput={(e) => setForm({ ...form, textEn: e.currentTarget.value })} />
        </label>
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
        <label>
          {t(msg('发送时间（留空 = 立即）', 'Send at (empty = now)'))}
          <input
            type="datetime-local"
            value={form.when}
            onInput={(e) => setForm({ ...form, when: e.currentTarget.value })}
          />
        </label>
        <button type="submit" class="primary" id="campaign-create">
          {t(msg('创建', 'Create'))}
        </button>
      </form>
    </Section>
  );
}

function CampaignDetail(props: { id: number; onChanged: () => Promise<void> }) {
  const lang = useLanguage();
  const { t } = lang;
  const detail = useLoad(() => api.campaign(props.id), [props.id]);
  const results = useLoad(() => api.campaignResults(props.id), [props.id]);
  const [progress, setProgress] = useState<CampaignProgress | null>(null);
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
  if (!c) return <Loading error={detail.error} />;
  const p = progress ?? c.progress;
  const r = results.data;
  return (
    <Section title={c.name} id="campaign-detail">
      <p>
        <Badge tone={p.status}>{t(campaignStatus[p.status])}</Badge>
      </p>
      <div class="row">
        {(Object.keys(allowed) as CampaignAction[])
          .filter((action) => allowed[action].includes(p.status))
          .map((action) => (
            <ActionButton
              key={action}
              id={`campaign-${action}`}
              run={async () => {
                await api.campaignAction(props.id, action);
                await Promise.all([detail.reload(), props.onChanged()]);
              }}
            >
              {t(actionWords[action])}
            </ActionButton>
          ))}
      </div>
      <div class="tiles">
        {(['sent', 'queued', 'sending', 'skipped', 'failed', 'unknown'] as const).map((key) => (
          <div class="tile" key={key}>
            <small>{t(deliveryStatus[key])}</small>
            <strong>{p[key]}</strong>
          </div>
        ))}
      </div>
      {p.reasons.length ? (
        <div class="table-wrap">
          <table>
            <caption>{t(msg('未发送的原因', 'Why messages were not sent'))}</caption>
            <thead>
              <tr>
                <th>{t(msg('状态', 'Status'))}</th>
                <th>{t(msg('原因', 'Reason'))}</th>
                <th>{t(msg('人数', 'Recipients'))}</th>
              </tr>
            </thead>
            <tbody>
              {p.reasons.map((x) => (
                <tr key={`${x.status}-${x.reason}`}>
                  <td>{t(deliveryStatus[x.status])}</td>
                  <td>{skipReason(lang, x.reason)}</td>
                  <td>{x.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
    </Section>
  );
}
