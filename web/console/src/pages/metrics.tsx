// Service metrics: tiles, per-day charts and a per-agent table (definitions: docs/staff.md).
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { Chart } from '../chart.tsx';
import { minutes, msg, percent, useLanguage } from '../i18n.ts';
import { Loading, Section, Table, useLoad } from '../ui.tsx';

export function MetricsPage() {
  const lang = useLanguage();
  const { t } = lang;
  const [days, setDays] = useState(7);
  const { data, error } = useLoad(() => api.metrics(days), [days]);
  const charts = useMemo(() => {
    if (!data) return null;
    const labels = data.days.map((d) => d.day.slice(5));
    const toMin = (s: number | null) => (s === null ? null : Math.round(s / 6) / 10);
    return {
      times: {
        type: 'line' as const,
        data: {
          labels,
          datasets: [
            {
              label: t(msg('首次响应（分钟）', 'First response (min)')),
              data: data.days.map((d) => toMin(d.avgFirstResponseSeconds)),
              spanGaps: true,
            },
            {
              label: t(msg('处理时长（分钟）', 'Handling (min)')),
              data: data.days.map((d) => toMin(d.avgHandlingSeconds)),
              spanGaps: true,
            },
            {
              label: t(msg('解决时长（分钟）', 'Resolution (min)')),
              data: data.days.map((d) => toMin(d.avgResolutionSeconds)),
              spanGaps: true,
            },
          ],
        },
      },
      volume: {
        type: 'bar' as const,
        data: {
          labels,
          datasets: [
            { label: t(msg('转人工', 'Escalated')), data: data.days.map((d) => d.escalated) },
            { label: t(msg('超时', 'SLA breaches')), data: data.days.map((d) => d.slaBreaches) },
            { label: t(msg('积压', 'Backlog')), data: data.days.map((d) => d.backlog) },
            { label: t(msg('投诉', 'Complaints')), data: data.days.map((d) => d.complaints) },
          ],
        },
      },
    };
  }, [data, t]);
  const tile = (label: string, value: string | number) => (
    <div class="tile">
      <small>{label}</small>
      <strong>{value}</strong>
    </div>
  );
  return (
    <Section
      title={t(msg('服务指标', 'Service metrics'))}
      actions={
        <label>
          <span class="visually-hidden">{t(msg('时间范围', 'Period'))}</span>
          <select id="metrics-days" value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {[7, 14, 30].map((d) => (
              <option value={d}>{t(msg('最近 {n} 天', 'Last {n} days'), { n: d })}</option>
            ))}
          </select>
        </label>
      }
    >
      {data && charts ? (
        <>
          <div class="tiles">
            {tile(t(msg('会话', 'Conversations')), data.totals.conversations)}
            {tile(t(msg('转人工', 'Escalated')), data.totals.escalated)}
            {tile(t(msg('机器人解决率', 'Bot containment')), percent(data.totals.botContainmentRate))}
            {tile(t(msg('首次响应', 'First response')), minutes(lang, data.totals.avgFirstResponseSeconds))}
            {tile(t(msg('处理时长', 'Handling')), minutes(lang, data.totals.avgHandlingSeconds))}
            {tile(t(msg('解决时长', 'Resolution')), minutes(lang, data.totals.avgResolutionSeconds))}
            {tile(t(msg('超时', 'SLA breaches')), data.totals.slaBreaches)}
            {tile(t(msg('投诉解决率', 'Complaints resolved')), percent(data.totals.complaintResolutionRate))}
            {tile(t(msg('当前积压', 'Backlog now')), data.totals.backlog)}
          </div>
          <div class="charts">
            <Chart
              id="chart-times"
              config={charts.times}
              label={t(msg('每日响应与处理时长', 'Response and handling times per day'))}
            />
            <Chart
              id="chart-volume"
              config={charts.volume}
              label={t(msg('每日转人工、超时、积压与投诉', 'Escalations, breaches, backlog and complaints per day'))}
            />
          </div>
          <Table
            id="agents"
            caption={t(msg('客服表现', 'Agents'))}
            head={[
              t(msg('客服', 'Agent')),
              t(msg('接待', 'Handled')),
              t(msg('解决', 'Resolved')),
              t(msg('首次响应', 'First response')),
              t(msg('处理', 'Handling')),
              t(msg('超时', 'Breaches')),
              t(msg('当前', 'Open now')),
            ]}
          >
            {data.agents.map((a) => (
              <tr key={a.staffId}>
                <td>{a.name}</td>
                <td>{a.handled}</td>
                <td>{a.resolved}</td>
                <td>{minutes(lang, a.avgFirstResponseSeconds)}</td>
                <td>{minutes(lang, a.avgHandlingSeconds)}</td>
                <td>{a.slaBreaches}</td>
                <td>{a.openNow}</td>
              </tr>
            ))}
          </Table>
        </>
      ) : (
        <Loading error={error} />
      )}
    </Section>
  );
}
