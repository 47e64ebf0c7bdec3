// The webchat widget: POSTs messages, renders replies and buttons, and streams later messages
// (staff replies, notifications) over SSE with the last seen outbox id as cursor.
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('text');

const visitorId = localStorage.getItem('guanxi.visitor') ?? `web-${crypto.randomUUID().slice(0, 12)}`;
localStorage.setItem('guanxi.visitor', visitorId);
let cursor = Number(localStorage.getItem(`guanxi.cursor.${visitorId}`) ?? 0);
const seen = new Set();

function render(kind, text, buttons = [], id) {
  if (id !== undefined) {
    if (seen.has(id)) return;
    seen.add(id);
    cursor = Math.max(cursor, id);
    localStorage.setItem(`guanxi.cursor.${visitorId}`, String(cursor));
  }
  const item = document.createElement('li');
  item.className = `msg ${kind}`;
  if (kind === 'staff') {
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = '客服 Staff';
    item.append(who);
  }
  item.append(document.createTextNode(text));
  if (buttons.length) {
    const row = document.createElement('div');
    row.className = 'buttons';
    for (const button of buttons) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = button.label;
      b.addEventListener('click', () => send({ text: button.label, action: button.data }));
      row.append(b);
    }
    item.append(row);
  }
  log.append(item);
  log.scrollTop = log.scrollHeight;
}

async function send(body) {
  render('me', body.text);
  const messageId = crypto.randomUUID();
  try {
    const response = await fetch('/api/webchat/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visitorId, messageId, ...body }),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error?.message ?? response.statusText);
    await catchUp();
  } catch (error) {
    const item = document.createElement('li');
    item.className = 'error';
    item.textContent = `发送失败 / not sent: ${error.message}`;
    log.append(item);
  }
}

async function catchUp() {
  const response = await fetch(`/api/webchat/${encodeURIComponent(visitorId)}/messages?after=${cursor}`);
  if (!response.ok) return;
  const data = await response.json();
  for (const m of data.messages) render(m.from, m.text, m.buttons ?? [], m.id);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text });
});

const stream = new EventSource(`/api/webchat/${encodeURIComponent(visitorId)}/events?after=${cursor}`);
stream.onmessage = (event) => {
  const m = JSON.parse(event.data);
  render(m.from, m.text, m.buttons ?? [], m.id);
};

if (cursor === 0) send({ text: '/start' });
else catchUp();
