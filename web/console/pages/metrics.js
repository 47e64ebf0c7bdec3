// Service metrics: per-day charts (Chart.js from /vendor) and a per-agent table. Definitions: docs/staff.md.
import { h, minutes } from '../dom.js';

let chartLoad;
function loadChart() {
  chartLoad ??= new Promise((resolve, reject) => {
    if (window.Chart) return resolve(window.Chart);
    const script = document.createElement('script');
    script.src = '/vendor/chart.umd.min.js';
    script.onload = () => resolve(window.Chart);
    script.onerror = reject;
    document.head.append(script);
  });
  return chartLoad;
}

const pct = (v) => (v === null || v === undefined ? '–' : `${Math.round(v * 100)}%`);

export async function mount(root, { api }) {
  const days = h(
    'select',
    { id: 'metrics-days' },
    ...[7, 14, 30].map((d) => h('option', { value: d }, `${d} 天 days`)),
  );
  const body = h('div', { class: 'metrics' });
  root.append(h('header', { class: 'page-head' }, h('h2', {}, '服务指标 Service metrics'), days), body);
  let charts = [];

  async function render() {
    const m = await api('GET', `/api/console/metrics?days=${days.value}`);
    for (const c of charts) c.destroy();
    charts = [];
    const t = m.totals;
    const tile = (label, value) => h('div', { class: 'tile' }, h('small', {}, label), h('strong', {}, value));
    const timesCanvas = h('canvas', { id: 'chart-times', height: 120 });
    const ratesCanvas = h('canvas', { id: 'chart-rates', height: 120 });
    body.replaceChildren(
      h(
        'div',
        { class: 'tiles' },
        tile('会话 Conversations', t.conversations),
        tile('转人工 Escalated', t.escalated),
        tile('机器人解决率 Containment', pct(t.botContainmentRate)),
        tile('转人工率 Escalation rate', pct(t.escalationRate)),
        tile('首次响应 First response', minutes(t.avgFirstResponseSeconds)),
        tile('处理时长 Handling', minutes(t.avgHandlingSeconds)),
        tile('解决时长 Resolution', minutes(t.avgResolutionSeconds)),
        tile('SLA 超时 Breaches', t.slaBreaches),
        tile('投诉解决率 Complaints resolved', pct(t.complaintResolutionRate)),
        tile('积压 Backlog now', t.backlog),
      ),
      h('div', { class: 'charts' }, h('figure', {}, timesCanvas), h('figure', {}, ratesCanvas)),
      h(
        'table',
        { id: 'agents' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[
              '客服 Agent',
              '接待 Handled',
              '解决 Resolved',
              '首次响应 First resp.',
              '处理 Handling',
              '解决 Resolution',
              'SLA',
              '当前 Open',
            ].map((x) => h('th', {}, x)),
          ),
        ),
        h(
          'tbody',
          {},
          ...m.agents.map((a) =>
            h(
              'tr',
              {},
              ...[
                a.name,
                a.handled,
                a.resolved,
                minutes(a.avgFirstResponseSeconds),
                minutes(a.avgHandlingSeconds),
                minutes(a.avgResolutionSeconds),
                a.slaBreaches,
                a.openNow,
              ].map((x) => h('td', {}, x)),
            ),
          ),
        ),
      ),
    );
    const Chart = await loadChart();
    const labels = m.days.map((d) => d.day.slice(5));
    const toMin = (s) => (s === null ? null : s / 60);
    charts.push(
      new Chart(timesCanvas, {
        type: 'line',
        data: {
          labels,
          datasets: [
            { label: '首次响应 min', data: m.days.map((d) => toMin(d.avgFirstResponseSeconds)) },
            { label: '处理 min', data: m.days.map((d) => toMin(d.avgHandlingSeconds)) },
            { label: '解决 min', data: m.days.map((d) => toMin(d.avgResolutionSeconds)) },
          ],
        },
        options: { animation: false, spanGaps: true },
      }),
    );
    charts.push(
      new Chart(ratesCanvas, {
        type: 'bar',
        data: {
          labels,
          datasets: [
            { label: '转人工 escalated', data: m.days.map((d) => d.escalated) },
            { label: 'SLA 超时 breaches', data: m.days.map((d) => d.slaBreaches) },
            { label: '积压 backlog', data: m.days.map((d) => d.backlog) },
            { label: '投诉 complaints', data: m.days.map((d) => d.complaints) },
          ],
        },
        options: { animation: false },
      }),
    );
  }

  days.addEventListener('change', render);
  await render();
  return () => {
    for (const c of charts) c.destroy();
  };
}
