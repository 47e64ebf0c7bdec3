// Campaign console: create (with audience preview), list, live progress over SSE, results.
// Signed in to the console in this tab? Use that session; otherwise a pasted admin token.
const token =
  sessionStorage.getItem('guanxi.console.token') || localStorage.getItem('guanxi.token') || prompt('Admin token');
if (token && !sessionStorage.getItem('guanxi.console.token')) localStorage.setItem('guanxi.token', token);
const $ = (id) => document.getElementById(id);
const api = async (path, options = {}) => {
  const response = await fetch(path, {
    ...options,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
};
let selected = Number(location.hash.slice(1)) || null;
let stream = null;
let chart = null;

$('preview').onclick = async () => {
  try {
    const r = await api('/api/segments/preview', {
      method: 'POST',
      body: JSON.stringify({ rules: JSON.parse($('rules').value) }),
    });
    $('previewOut').textContent = `${r.count} 人: ${r.sample.map((c) => c.name || `#${c.id}`).join(', ')}`;
  } catch (e) {
    $('previewOut').textContent = e.message;
  }
};
$('create').onclick = async () => {
  const kind = $('kind').value;
  const schedule =
    kind === 'now' ? { kind } : kind === 'at' ? { kind, at: $('when').value } : { kind, cron: $('when').value };
  const label = $('button').value.trim();
  try {
    const c = await api('/api/campaigns', {
      method: 'POST',
      body: JSON.stringify({
        name: $('name').value,
        audience: { rules: JSON.parse($('rules').value) },
        message: { text: $('text').value, ...(label ? { buttons: [{ label, action: 'menu' }] } : {}) },
        channels: [...$('channels').selectedOptions].map((o) => o.value),
        schedule,
      }),
    });
    $('createOut').textContent = `#${c.id} ${c.status}`;
    selected = c.id;
    await list();
  } catch (e) {
    $('createOut').textContent = e.message;
  }
};
async function list() {
  const { campaigns } = await api('/api/campaigns');
  $('list').replaceChildren(
    ...campaigns.map((c) => {
      const tr = document.createElement('tr');
      tr.className = c.id === selected ? 'sel' : '';
      for (const text of [c.id, c.name, c.status, c.cron || c.scheduledAt || '']) {
        tr.append(Object.assign(document.createElement('td'), { textContent: text }));
      }
      tr.onclick = () => show(c.id);
      return tr;
    }),
  );
  if (selected) show(selected);
}
function renderProgress(p) {
  $('progress').textContent =
    `${p.status}: ${p.sent} sent / ${p.total} · queued ${p.queued} · sending ${p.sending} · failed ${p.failed} · skipped ${p.skipped} · unknown ${p.unknown}\n${p.reasons.map((r) => `${r.status} ${r.reason}: ${r.count}`).join('\n')}`;
  const labels = ['sent', 'queued', 'sending', 'skipped', 'failed', 'unknown'];
  const data = labels.map((k) => p[k]);
  if (!chart) {
    chart = new Chart($('progressChart'), {
      type: 'bar',
      data: { labels, datasets: [{ label: 'deliveries', data }] },
      options: { indexAxis: 'y' },
    });
  } else {
    chart.data.datasets[0].data = data;
    chart.update();
  }
}
async function show(id) {
  selected = id;
  location.hash = String(id);
  $('detail').hidden = false;
  const c = await api(`/api/campaigns/${id}`);
  $('dTitle').textContent = `#${c.id} ${c.name}`;
  renderProgress(c.progress);
  $('results').textContent = JSON.stringify(await api(`/api/campaigns/${id}/results`), null, 1);
  if (stream) stream.close();
  stream = new EventSource(`/api/campaigns/${id}/stream?token=${encodeURIComponent(token)}`);
  stream.onmessage = (event) => renderProgress(JSON.parse(event.data));
}
for (const button of document.querySelectorAll('[data-act]')) {
  button.onclick = async () => {
    try {
      await api(`/api/campaigns/${selected}/${button.dataset.act}`, { method: 'POST', body: '{}' });
    } catch (e) {
      alert(e.message);
    }
    await list();
  };
}
list().catch((e) => alert(e.message));
