// Surveys console page: CSAT %, NPS (promoters/passives/detractors), response rate by period, agent,
// product or channel, with a Chart.js bar chart and the free-text comments.
const { api, el, table, show, fail } = window.guanxi;
const $ = (id) => document.getElementById(id);
let chart;

const today = new Date();
$('to').value = new Date(today.getTime() + 86_400_000).toISOString().slice(0, 10);
$('from').value = new Date(today.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);

function kpi(label, value) {
  return el('div', { class: 'kpi' }, el('b', {}, value ?? '—'), label);
}

async function load() {
  const query = new URLSearchParams({
    from: `${$('from').value}T00:00:00Z`,
    to: `${$('to').value}T00:00:00Z`,
    groupBy: $('groupBy').value,
  });
  if ($('survey').value) query.set('survey', $('survey').value);
  try {
    const report = await api('GET', `/api/surveys/report?${query}`);
    const o = report.overall;
    show(
      'kpis',
      kpi('CSAT 满意率 %', o.csat.percent),
      kpi('NPS', o.nps.score),
      kpi(`推荐/中立/贬损 P/P/D`, `${o.nps.promoters}/${o.nps.passives}/${o.nps.detractors}`),
      kpi('回复率 response rate %', o.responseRate),
      kpi('已发送 sent', o.sent),
    );
    const labels = report.groups.map((g) => g.key);
    if (chart) chart.destroy();
    chart = new window.Chart($('chart'), {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'CSAT %', data: report.groups.map((g) => g.csat.percent) },
          { label: 'NPS', data: report.groups.map((g) => g.nps.score) },
          { label: 'Response rate %', data: report.groups.map((g) => g.responseRate) },
        ],
      },
      options: { scales: { y: { suggestedMin: -100, suggestedMax: 100 } } },
    });
    show(
      'groups',
      table(
        ['group', 'sent', 'responded', 'rate %', 'CSAT %', 'CSAT avg', 'NPS', 'P', 'Pa', 'D'],
        report.groups.map((g) => [
          g.key,
          g.sent,
          g.responded,
          g.responseRate,
          g.csat.percent ?? '—',
          g.csat.average ?? '—',
          g.nps.score ?? '—',
          g.nps.promoters,
          g.nps.passives,
          g.nps.detractors,
        ]),
      ),
    );
    show(
      'comments',
      report.comments.length
        ? table(
            ['time', 'customer', 'agent', 'channel', 'comment'],
            report.comments.map((c) => [
              c.at.replace('T', ' ').slice(0, 16),
              c.customerId,
              c.staffId ?? '',
              c.channel ?? '',
              c.text,
            ]),
          )
        : el('p', {}, '暂无 / none'),
    );
  } catch (error) {
    fail('kpis', error);
  }
}

$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  load();
});
load();
