// Analytics dashboard: charts from /api/analytics/summary, the churn-risk list with a win-back action.
// Signed in to the console in this tab? Use that session; otherwise a pasted admin token.
const token =
  sessionStorage.getItem('guanxi.console.token') || localStorage.getItem('guanxi.token') || prompt('Admin token');
if (token && !sessionStorage.getItem('guanxi.console.token')) localStorage.setItem('guanxi.token', token);
const api = async (path, options = {}) => {
  const response = await fetch(path, {
    ...options,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(options.headers || {}) },
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
};
const stageNames = { prospect: '潜在', new: '新客', active: '活跃', dormant: '沉睡', churned: '流失' };
const charts = {};
function draw(id, type, labels, data, label) {
  if (charts[id]) charts[id].destroy();
  charts[id] = new Chart(document.getElementById(id), {
    type,
    data: { labels, datasets: [{ label, data }] },
    options: { plugins: { legend: { display: type === 'doughnut' } } },
  });
}
async function load() {
  const s = await api('/api/analytics/summary');
  const seg = (key) => (key && s.labels[key] ? s.labels[key].zh : '无订单');
  draw(
    'stages',
    'doughnut',
    s.stages.map((x) => stageNames[x.stage] || x.stage),
    s.stages.map((x) => x.customers),
    '客户',
  );
  draw(
    'segments',
    'bar',
    s.segments.map((x) => seg(x.segment)),
    s.segments.map((x) => x.customers),
    '客户',
  );
  draw(
    'revenue',
    'bar',
    s.segments.map((x) => seg(x.segment)),
    s.segments.map((x) => x.revenue / 100),
    '¥',
  );
  draw(
    'cohorts',
    'line',
    s.cohorts.map((c) => c.cohort),
    s.cohorts.map((c) => Math.round(c.rate * 1000) / 10),
    '% 复购',
  );
  const { customers } = await api('/api/analytics/churn-risk?minRisk=0.3&take=100');
  const tbody = document.getElementById('risk');
  tbody.replaceChildren(
    ...customers.map((c) => {
      const tr = document.createElement('tr');
      const reasons = Array.isArray(c.churnReasons) ? c.churnReasons.map((r) => r.detail).join('; ') : '';
      const cells = [
        c.name || `#${c.id}`,
        stageNames[c.lifecycleStage] || c.lifecycleStage,
        seg(c.rfmSegment),
        `¥${(c.totalSpent / 100).toFixed(0)}`,
        c.churnRisk.toFixed(2),
        reasons,
      ];
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = c.id;
      box.disabled = !c.marketingOptIn;
      const first = document.createElement('td');
      first.append(box);
      tr.append(first, ...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })));
      return tr;
    }),
  );
}
document.getElementById('recompute').onclick = async () => {
  const r = await api('/api/analytics/recompute', { method: 'POST', body: '{}' });
  document.getElementById('status').textContent = `${r.customers} customers, ${r.changed} changed, ${r.ms} ms`;
  await load();
};
document.getElementById('winBack').onclick = async () => {
  const customerIds = [...document.querySelectorAll('#risk input:checked')].map((b) => Number(b.value));
  if (customerIds.length === 0) return alert('请选择客户 Select customers first');
  const campaign = await api('/api/analytics/win-back', {
    method: 'POST',
    body: JSON.stringify({ customerIds, text: document.getElementById('winText').value }),
  });
  location.href = `/console-campaigns.html#${campaign.id}`;
};
load().catch((e) => {
  document.getElementById('status').textContent = e.message;
});
