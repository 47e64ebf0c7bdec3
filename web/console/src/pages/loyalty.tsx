// Loyalty (admin): the report (points issued and redeemed per week, members per tier, balance bands,
// top rewards — each chart with its table beside it), a customer's ledger found by name or phone,
// manual adjustment with a reason, CSV export, the rewards catalogue (add, edit, deactivate) with its
// code pool, and the ledger check.
import type { ChartConfiguration } from 'chart.js';
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { LoyaltyReport as Report } from '../../../../src/http/schemas/back-office.ts';
import { api } from '../api.ts';
import { Chart } from '../chart.tsx';
import { date, dayLabel, type Language, mondayOf, msg, shiftDay, shopToday, useLanguage } from '../i18n.ts';
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
import { pointsKind, tier } from '../words.ts';

export function LoyaltyPage() {
  const { t } = useLanguage();
  const [customerId, setCustomerId] = useState<number | null>(null);
  return (
    <div class="stack">
      <LoyaltyReportSection />
      <Section title={t(msg('客户积分', 'Customer points'))}>
        <CustomerPicker onPick={setCustomerId} />
        {customerId ? <Ledger customerId={customerId} /> : null}
      </Section>
      <Rewards />
      <Verify />
    </div>
  );
}

/** A balance band in words: "0", "1–99", "5000 以上" / "5000+". */
function bandLabel(lang: Language, band: Report['balances'][number]): string {
  if (band.max === null) return lang.t(msg('{n} 以上', '{n}+'), { n: band.min });
  return band.min === band.max ? String(band.min) : `${band.min}–${band.max}`;
}

function LoyaltyReportSection() {
  const lang = useLanguage();
  const { t } = lang;
  const [to, setTo] = useState(() => shopToday(lang));
  // The last 12 weeks, Monday to Sunday, like the report's default.
  const [from, setFrom] = useState(() => shiftDay(mondayOf(shopToday(lang)), -77));
  const { data, error } = useLoad(() => api.loyaltyReport(from, to), [from, to]);
  const charts = useMemo(() => {
    if (!data) return null;
    const rewardName = (r: Report['topRewards'][number]) => (lang.locale === 'en' ? (r.nameEn ?? r.name) : r.name);
    return {
      weeks: {
        type: 'bar' as const,
        data: {
          labels: data.weeks.map((w) => dayLabel(lang, w.week, 'week')),
          datasets: [
            { label: t(msg('发放', 'Issued')), data: data.weeks.map((w) => w.issued) },
            { label: t(msg('兑换', 'Redeemed')), data: data.weeks.map((w) => w.redeemed) },
          ],
        },
      },
      tiers: {
        type: 'doughnut' as const,
        data: {
          labels: data.tiers.map((x) => t(tier[x.tier])),
          datasets: [{ label: t(msg('会员数', 'Members')), data: data.tiers.map((x) => x.members) }],
        },
      },
      balances: {
        type: 'bar' as const,
        data: {
          labels: data.balances.map((b) => bandLabel(lang, b)),
          datasets: [{ label: t(msg('会员数', 'Members')), data: data.balances.map((b) => b.members) }],
        },
        options: { plugins: { legend: { display: false } } },
      },
      rewards: {
        type: 'bar' as const,
        data: {
          labels: data.topRewards.map(rewardName),
          datasets: [{ label: t(msg('兑换次数', 'Redemptions')), data: data.topRewards.map((r) => r.redemptions) }],
        },
        options: { indexAxis: 'y' as const, plugins: { legend: { display: false } } },
      },
      rewardName,
    };
  }, [data, lang]);
  return (
    <Section
      title={t(msg('积分报表', 'Loyalty report'))}
      actions={
        <div class="row">
          <label>
            {t(msg('起始日期', 'From'))}
            <input
              type="date"
              id="loyalty-report-from"
              value={from}
              max={to}
              onChange={(e) => e.currentTarget.value && setFrom(e.currentTarget.value)}
            />
          </label>
          <label>
            {t(msg('结束日期', 'To'))}
            <input
              type="date"
              id="loyalty-report-to"
              value={to}
              min={from}
              onChange={(e) => e.currentTarget.value && setTo(e.currentTarget.value)}
            />
          </label>
        </div>
      }
    >
      {data && charts ? (
        <div class="stack" id="loyalty-report">
          <div class="tiles">
            <div class="tile">
              <small>{t(msg('发放积分', 'Points issued'))}</small>
              <strong>{data.totals.issued}</strong>
            </div>
            <div class="tile">
              <small>{t(msg('兑换积分', 'Points redeemed'))}</small>
              <strong>{data.totals.redeemed}</strong>
            </div>
            <div class="tile">
              <small>{t(msg('过期积分', 'Points expired'))}</small>
              <strong>{data.totals.expired}</strong>
            </div>
            <div class="tile">
              <small>{t(msg('扣回积分', 'Points taken back'))}</small>
              <strong>{data.totals.deducted}</strong>
            </div>
          </div>
          <ChartWithTable
            id="loyalty-weeks"
            chartId="loyalty-chart-weeks"
            title={t(msg('每周发放与兑换', 'Issued and redeemed per week'))}
            chart={charts.weeks}
            chartLabel={t(msg('每周发放与兑换积分图表', 'Points issued and redeemed per week'))}
            headings={[
              t(msg('周', 'Week')),
              t(msg('发放', 'Issued')),
              t(msg('兑换', 'Redeemed')),
              t(msg('过期', 'Expired')),
              t(msg('扣回', 'Taken back')),
            ]}
            rows={data.weeks.map((w) => ({
              key: w.week,
              cells: [dayLabel(lang, w.week, 'week'), w.issued, w.redeemed, w.expired, w.deducted],
            }))}
          />
          <ChartWithTable
            id="loyalty-tiers"
            chartId="loyalty-chart-tiers"
            title={t(msg('会员等级', 'Members per tier'))}
            chart={charts.tiers}
            chartLabel={t(msg('各等级会员数图表', 'Members per tier'))}
            headings={[t(msg('等级', 'Tier')), t(msg('会员数', 'Members')), t(msg('持有积分', 'Points held'))]}
            rows={data.tiers.map((x) => ({ key: x.tier, cells: [t(tier[x.tier]), x.members, x.points] }))}
          />
          <ChartWithTable
            id="loyalty-balances"
            chartId="loyalty-chart-balances"
            title={t(msg('积分余额分布', 'Balance distribution'))}
            chart={charts.balances}
            chartLabel={t(msg('积分余额分布图表', 'Members per balance band'))}
            headings={[t(msg('余额（积分）', 'Balance (points)')), t(msg('会员数', 'Members'))]}
            rows={data.balances.map((b) => ({ key: String(b.min), cells: [bandLabel(lang, b), b.members] }))}
          />
          <ChartWithTable
            id="loyalty-top-rewards"
            chartId="loyalty-chart-rewards"
            title={t(msg('热门兑换奖品', 'Top rewards redeemed'))}
            chart={charts.rewards}
            chartLabel={t(msg('热门兑换奖品图表', 'Rewards redeemed most'))}
            headings={[t(msg('奖品', 'Reward')), t(msg('兑换次数', 'Redemptions')), t(msg('消耗积分', 'Points spent'))]}
            rows={data.topRewards.map((r) => ({
              key: String(r.rewardId),
              cells: [
                <>
                  {charts.rewardName(r)}{' '}
                  {r.active ? null : <Badge tone="cancelled">{t(msg('已下架', 'Deactivated'))}</Badge>}
                </>,
                r.redemptions,
                r.points,
              ],
            }))}
            empty={t(msg('这段时间没有兑换', 'No redemptions in this period'))}
          />
        </div>
      ) : (
        <Loading error={error} />
      )}
    </Section>
  );
}

/** A chart with the same figures as a table beside it (below it on a phone). */
function ChartWithTable(props: {
  id: string;
  chartId: string;
  title: string;
  chart: ChartConfiguration;
  chartLabel: string;
  headings: string[];
  rows: Array<{ key: string; cells: ComponentChildren[] }>;
  /** Said instead of an empty chart and table. */
  empty?: string;
}) {
  return (
    <>
      <h3>{props.title}</h3>
      {props.rows.length === 0 && props.empty ? (
        <Empty>{props.empty}</Empty>
      ) : (
        <div class="charts">
          <Chart id={props.chartId} config={props.chart} label={props.chartLabel} />
          <Table id={props.id} head={props.headings}>
            {props.rows.map((row) => (
              <tr key={row.key}>
                {row.cells.map((cell, i) => (
                  <td key={i}>{cell}</td>
                ))}
              </tr>
            ))}
          </Table>
        </div>
      )}
    </>
  );
}

function CustomerPicker(props: { onPick: (id: number) => void }) {
  const { t } = useLanguage();
  const [q, setQ] = useState('');
  const { data } = useLoad(() => (q.trim() ? api.customers(q.trim()) : Promise.resolve(null)), [q]);
  return (
    <div class="picker">
      <Field
        label={t(msg('按姓名或电话查找客户', 'Find a customer by name or phone'))}
        type="search"
        id="loyalty-search"
        value={q}
        onValue={setQ}
      />
      {data ? (
        <ul class="list" id="loyalty-results">
          {data.customers.slice(0, 8).map((c) => (
            <li key={c.id}>
              <button type="button" class="link" onClick={() => props.onPick(c.id)}>
                {c.name ?? t(msg('未留名客户', 'Unnamed customer'))} {c.phone ? `· ${c.phone}` : ''} · {c.pointsBalance}{' '}
                {t(msg('积分', 'points'))}
              </button>
            </li>
          ))}
          {data.customers.length === 0 ? <li class="muted">{t(msg('没有找到', 'Nobody found'))}</li> : null}
        </ul>
      ) : null}
    </div>
  );
}

function Ledger(props: { customerId: number }) {
  const lang = useLanguage();
  const { t } = lang;
  const toast = useToast();
  const { data, error, reload } = useLoad(() => api.ledger(props.customerId), [props.customerId]);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  if (!data) return <Loading error={error} />;
  return (
    <div class="ledger" id="ledger">
      <p>
        {t(msg('余额 {n} 积分', 'Balance {n} points'), { n: data.balance })} ·{' '}
        <Badge tone="tier">{t(tier[data.tier])}</Badge>
        {data.expiringSoon.points && data.expiringSoon.at
          ? ` · ${t(msg('{n} 积分将于 {at} 过期', '{n} points expire on {at}'), { n: data.expiringSoon.points, at: date(lang, data.expiringSoon.at) })}`
          : ''}
      </p>
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const result = await api.adjust(props.customerId, { amount: Number(amount), reason });
            toast(t(msg('已调整，余额 {n}', 'Adjusted, balance {n}'), { n: result.balance }));
            setAmount('');
            setReason('');
            await reload();
          } catch (error) {
            toast(errorText(error), { tone: 'error' });
          }
        }}
      >
        <Field
          label={t(msg('调整（±积分）', 'Adjust (± points)'))}
          type="number"
          id="adjust-amount"
          required
          value={amount}
          onValue={setAmount}
        />
        <Field
          label={t(msg('原因（必填）', 'Reason (required)'))}
          labelClass="grow"
          id="adjust-reason"
          required
          minLength={2}
          value={reason}
          onValue={setReason}
        />
        <button type="submit" id="adjust-submit">
          {t(msg('调整', 'Adjust'))}
        </button>
        <ActionButton
          run={() => api.download(`/api/customers/${props.customerId}/points.csv`, `points-${props.customerId}.csv`)}
        >
          {t(msg('导出 CSV', 'Export CSV'))}
        </ActionButton>
      </form>
      <Table
        head={[
          t(msg('时间', 'When')),
          t(msg('类型', 'Kind')),
          t(msg('积分', 'Points')),
          t(msg('原因', 'Reason')),
          t(msg('过期', 'Expires')),
        ]}
      >
        {data.entries.map((e) => (
          <tr key={e.id}>
            <td>{date(lang, e.createdAt)}</td>
            <td>{t(pointsKind[e.kind])}</td>
            <td class={e.amount >= 0 ? 'pos' : 'neg'}>{e.amount}</td>
            <td>{e.reason}</td>
            <td>{e.expiresAt ? date(lang, e.expiresAt) : ''}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

function Rewards() {
  const lang = useLanguage();
  const { t } = lang;
  const toast = useToast();
  const { data, error, reload } = useLoad(() => api.rewards(), []);
  const blank = { name: '', nameEn: '', kind: 'coupon' as 'coupon' | 'gift', cost: '', stock: '' };
  const [form, setForm] = useState(blank);
  /** The reward being edited in the form, or null when the form adds a new one. */
  const [editing, setEditing] = useState<number | null>(null);
  const [codes, setCodes] = useState({ rewardId: '', list: '' });
  return (
    <Section title={t(msg('礼品目录', 'Rewards'))}>
      {data ? (
        <Table
          id="rewards"
          head={[
            t(msg('名称', 'Name')),
            t(msg('类型', 'Kind')),
            t(msg('积分', 'Cost')),
            t(msg('库存', 'Stock')),
            t(msg('剩余券码', 'Codes left')),
            t(msg('状态', 'Status')),
            { hidden: t(msg('操作', 'Actions')) },
          ]}
        >
          {data.rewards.map((r) => (
            <tr key={r.id} data-id={r.id}>
              <td>{lang.locale === 'en' && r.nameEn ? r.nameEn : r.name}</td>
              <td>{r.kind === 'coupon' ? t(msg('优惠券', 'Coupon')) : t(msg('礼品', 'Gift'))}</td>
              <td>{r.cost}</td>
              <td>{r.stock ?? t(msg('不限', 'Unlimited'))}</td>
              <td>{r.kind === 'coupon' ? r.codesLeft : '–'}</td>
              <td>
                {r.active ? t(msg('上架', 'Active')) : <Badge tone="cancelled">{t(msg('已下架', 'Inactive'))}</Badge>}
              </td>
              <td class="row">
                <EditButton
                  onEdit={() => {
                    setEditing(r.id);
                    setForm({
                      name: r.name,
                      nameEn: r.nameEn ?? '',
                      kind: r.kind,
                      cost: String(r.cost),
                      stock: r.stock === null ? '' : String(r.stock),
                    });
                    document.getElementById('reward-name')?.focus();
                  }}
                />
                <ActionButton
                  class="toggle"
                  run={async () => {
                    await api.updateReward(r.id, { active: !r.active });
                    toast(
                      r.active
                        ? t(msg('已下架：客户不再能兑换', 'Deactivated: customers can no longer redeem it'))
                        : t(msg('已上架', 'Active again')),
                    );
                    await reload();
                  }}
                >
                  {r.active ? t(msg('下架', 'Deactivate')) : t(msg('上架', 'Activate'))}
                </ActionButton>
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <Loading error={error} />
      )}
      {data?.rewards.length === 0 ? <Empty>{t(msg('还没有礼品', 'No rewards yet'))}</Empty> : null}
      <h3>{editing === null ? t(msg('新增礼品', 'Add a reward')) : t(msg('编辑礼品', 'Edit the reward'))}</h3>
      <form
        class="row wrap"
        id="reward-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const fields = {
            name: form.name,
            ...(form.nameEn ? { nameEn: form.nameEn } : {}),
            cost: Number(form.cost),
            stock: form.stock === '' ? null : Number(form.stock),
          };
          try {
            if (editing === null) await api.createReward({ ...fields, kind: form.kind });
            else await api.updateReward(editing, fields);
            toast(t(msg('礼品已保存', 'Reward saved')));
            setEditing(null);
            setForm({ ...blank, kind: form.kind });
            await reload();
          } catch (error) {
            toast(errorText(error), { tone: 'error' });
          }
        }}
      >
        <Field
          label={t(msg('名称', 'Name'))}
          required
          id="reward-name"
          value={form.name}
          onValue={(value) => setForm({ ...form, name: value })}
        />
        <Field
          label={t(msg('英文名称', 'English name'))}
          id="reward-name-en"
          value={form.nameEn}
          onValue={(value) => setForm({ ...form, nameEn: value })}
        />
        <label>
          {t(msg('类型', 'Kind'))}
          <select
            disabled={editing !== null}
            value={form.kind}
            onChange={(e) => setForm({ ...form, kind: e.currentTarget.value === 'gift' ? 'gift' : 'coupon' })}
          >
            <option value="coupon">{t(msg('优惠券', 'Coupon'))}</option>
            <option value="gift">{t(msg('礼品', 'Gift'))}</option>
          </select>
        </label>
        <Field
          label={t(msg('所需积分', 'Points'))}
          type="number"
          id="reward-cost"
          min={1}
          required
          value={form.cost}
          onValue={(value) => setForm({ ...form, cost: value })}
        />
        <Field
          label={t(msg('库存（空 = 不限）', 'Stock (empty = unlimited)'))}
          type="number"
          id="reward-stock"
          min={0}
          value={form.stock}
          onValue={(value) => setForm({ ...form, stock: value })}
        />
        <button type="submit" class="primary" id="reward-save">
          {editing === null ? t(msg('新增礼品', 'Add reward')) : t(msg('保存', 'Save'))}
        </button>
        {editing === null ? null : (
          <button
            type="button"
            onClick={() => {
              setEditing(null);
              setForm(blank);
            }}
          >
            {t(msg('取消', 'Cancel'))}
          </button>
        )}
      </form>
      <form
        class="row wrap"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const result = await api.addCodes(Number(codes.rewardId), codes.list.split(/\s+/).filter(Boolean));
            toast(
              t(msg('添加了 {a} 个，跳过 {s} 个重复', 'Added {a}, skipped {s} duplicates'), {
                a: result.added,
                s: result.skipped,
              }),
            );
            setCodes({ ...codes, list: '' });
            await reload();
          } catch (error) {
            toast(errorText(error), { tone: 'error' });
          }
        }}
      >
        <label>
          {t(msg('优惠券', 'Coupon'))}
          <select
            required
            value={codes.rewardId}
            onChange={(e) => setCodes({ ...codes, rewardId: e.currentTarget.value })}
          >
            <option value="">{t(msg('选择', 'Choose'))}</option>
            {(data?.rewards ?? [])
              .filter((r) => r.kind === 'coupon')
              .map((r) => (
                <option value={r.id}>{lang.locale === 'en' && r.nameEn ? r.nameEn : r.name}</option>
              ))}
          </select>
        </label>
        <label class="grow">
          {t(msg('券码（每行一个）', 'Codes (one per line)'))}
          <textarea
            rows={2}
            required
            value={codes.list}
            onInput={(e) => setCodes({ ...codes, list: e.currentTarget.value })}
          />
        </label>
        <button type="submit">{t(msg('添加券码', 'Add codes'))}</button>
      </form>
    </Section>
  );
}

function Verify() {
  const { t } = useLanguage();
  const [result, setResult] = useState<string | null>(null);
  return (
    <Section title={t(msg('账实核对', 'Check balances'))}>
      <p class="row">
        <ActionButton
          id="verify"
          run={async () => {
            const r = await api.verifyPoints();
            setResult(
              r.ok
                ? t(msg('所有余额与流水一致', 'Every balance matches the ledger'))
                : t(msg('{n} 位客户的余额与流水不一致', '{n} balances differ from the ledger'), {
                    n: r.mismatches.length,
                  }),
            );
          }}
        >
          {t(msg('核对', 'Check'))}
        </ActionButton>
        <ActionButton run={() => api.download('/api/points/export.csv', 'points-ledger.csv')}>
          {t(msg('导出全部流水', 'Export the whole ledger'))}
        </ActionButton>
      </p>
      {result ? <p role="status">{result}</p> : null}
    </Section>
  );
}
