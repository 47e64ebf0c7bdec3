// Customer analytics (admin): lifecycle stages, RFM segments and revenue, repeat-purchase cohorts,
// and the churn-risk list with a one-click win-back campaign.
import { useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api } from '../api.ts';
import { Chart } from '../chart.tsx';
import { money, msg, useLanguage } from '../i18n.ts';
import { ActionButton, Empty, errorText, Field, Loading, Section, Table, useLoad, useToast } from '../ui.tsx';
import { lifecycle } from '../words.ts';

export function AnalyticsPage() {
  const lang = useLanguage();
  const { t } = lang;
  const toast = useToast();
  const { route } = useLocation();
  const summary = useLoad(() => api.analytics(), []);
  const risk = useLoad(() => api.churnRisk(), []);
  const [chosen, setChosen] = useState<number[]>([]);
  const [text, setText] = useState(() =>
    t(
      msg(
        '好久不见！回复「菜单」看看新品，老朋友有专属优惠。',
        'Long time no see! Reply "menu" for our new arrivals and an offer for old friends.',
      ),
    ),
  );
  const s = summary.data;
  const segmentName = (key: string | null) =>
    key && s?.labels[key]
      ? lang.locale === 'en'
        ? s.labels[key].en
        : s.labels[key].zh
      : t(msg('无订单', 'No orders'));
  const charts = useMemo(
    () =>
      s
        ? {
            stages: {
              type: 'doughnut' as const,
              data: {
                labels: s.stages.map((x) => t(lifecycle[x.stage])),
                datasets: [{ label: t(msg('客户', 'Customers')), data: s.stages.map((x) => x.customers) }],
              },
            },
            segments: {
              type: 'bar' as const,
              data: {
                labels: s.segments.map((x) => segmentName(x.segment)),
                datasets: [{ label: t(msg('客户', 'Customers')), data: s.segments.map((x) => x.customers) }],
              },
              options: { plugins: { legend: { display: false } } },
            },
            revenue: {
              type: 'bar' as const,
              data: {
                labels: s.segments.map((x) => segmentName(x.segment)),
                datasets: [{ label: '¥', data: s.segments.map((x) => x.revenue / 100) }],
              },
              options: { plugins: { legend: { display: false } } },
            },
            cohorts: {
              type: 'line' as const,
              data: {
                labels: s.cohorts.map((c) => c.cohort),
                datasets: [
                  {
                    label: t(msg('复购率 %', 'Repeat rate %')),
                    data: s.cohorts.map((c) => Math.round(c.rate * 1000) / 10),
                  },
                ],
              },
            },
          }
        : null,
    [s, t],
  );
  return (
    <div class="stack">
      <Section
        title={t(msg('客户分析', 'Customer analytics'))}
        actions={
          <ActionButton
            id="recompute"
            run={async () => {
              const r = await api.recompute();
              toast(t(msg('已重新计算 {n} 位客户', 'Recomputed {n} customers'), { n: r.customers }));
              await Promise.all([summary.reload(), risk.reload()]);
            }}
          >
            {t(msg('重新计算', 'Recompute'))}
          </ActionButton>
        }
      >
        {charts ? (
          <div class="charts grid-2">
            <Chart config={charts.stages} label={t(msg('生命周期阶段', 'Lifecycle stages'))} />
            <Chart config={charts.segments} label={t(msg('RFM 分群人数', 'Customers per RFM segment'))} />
            <Chart config={charts.revenue} label={t(msg('RFM 分群消费额', 'Revenue per RFM segment'))} />
            <Chart config={charts.cohorts} label={t(msg('首购月份复购率', 'Repeat rate by first-order month'))} />
          </div>
        ) : (
          <Loading error={summary.error} />
        )}
      </Section>
      <Section title={t(msg('流失风险', 'Churn risk'))}>
        {risk.data ? (
          <>
            {risk.data.customers.length === 0 ? (
              <Empty>{t(msg('目前没有流失风险较高的客户', 'Nobody is at notable risk of churning right now'))}</Empty>
            ) : null}
            <Table
              id="risk"
              head={[
                { hidden: t(msg('选择', 'Select')) },
                t(msg('客户', 'Customer')),
                t(msg('阶段', 'Stage')),
                t(msg('分群', 'Segment')),
                t(msg('消费', 'Spent')),
                t(msg('风险', 'Risk')),
              ]}
            >
              {risk.data.customers.map((c) => (
                <tr key={c.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t(msg('选择 {name}', 'Select {name}'), { name: c.name ?? String(c.id) })}
                      disabled={!c.marketingOptIn}
                      checked={chosen.includes(c.id)}
                      onChange={(e) =>
                        setChosen(e.currentTarget.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id))
                      }
                    />
                  </td>
                  <td>
                    <a href={`/console/customers/${c.id}`}>{c.name ?? t(msg('未留名客户', 'Unnamed customer'))}</a>
                  </td>
                  <td>{t(lifecycle[c.lifecycleStage])}</td>
                  <td>{segmentName(c.rfmSegment)}</td>
                  <td>{money(c.totalSpent)}</td>
                  <td>{Math.round(c.churnRisk * 100)}%</td>
                </tr>
              ))}
            </Table>
            <form
              class="row wrap"
              onSubmit={async (e) => {
                e.preventDefault();
                if (chosen.length === 0) {
                  toast(t(msg('请先选择客户', 'Select customers first')), { tone: 'warn' });
                  return;
                }
                try {
                  const campaign = await api.winBack({ customerIds: chosen, text });
                  route(`/console/campaigns/${campaign.id}`);
                } catch (error) {
                  toast(errorText(error), { tone: 'error' });
                }
              }}
            >
              <Field
                label={t(msg('挽回消息', 'Win-back message'))}
                labelClass="grow"
                id="win-text"
                value={text}
                onValue={setText}
              />
              <button type="submit" id="win-back">
                {t(msg('给选中客户发挽回消息', 'Send a win-back to the selected'))}
              </button>
            </form>
          </>
        ) : (
          <Loading error={risk.error} />
        )}
      </Section>
    </div>
  );
}
