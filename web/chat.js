// The webchat widget: POSTs messages, renders replies and buttons, and streams later messages
// (staff replies, notifications) after a stream event, with the thread's cursor. The widget replaces this page.
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('text');

const visitorId = localStorage.getItem('guanxi.visitor') ?? `web-${crypto.randomUUID().slice(0, 12)}`;
localStorage.setItem('guanxi.visitor', visitorId);
// The visitor's credential: bound by the first message, sent as a header on every request.
const secret = localStorage.getItem('guanxi.secret') ?? crypto.randomUUID().replaceAll('-', '');
localStorage.setItem('guanxi.secret', secret);
const headers = { 'x-visitor-secret': secret };
let cursor = '0.0';
const seen = new Set();

function render(kindOf, text, buttons = [], id) {
  if (id !== undefined) {
    if (seen.has(id)) return;
    seen.add(id);
  }
  const kind = kindOf === 'customer' ? 'me' : kindOf;
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
  const messageId = crypto.randomUUID();
  try {
    const response = await fetch('/api/webchat/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
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
  const response = await fetch(`/api/webchat/${encodeURIComponent(visitorId)}/messages?after=${cursor}`, { headers });
  if (!response.ok) return;
  const data = await response.json();
  for (const m of data.messages) render(m.from, m.text, m.buttons ?? [], m.id);
  cursor = data.cursor;
}

async function listen() {
  const response = await fetch(`/api/webchat/${encodeURIComponent(visitorId)}/stream-ticket`, {
    method: 'POST',
    headers,
  });
  if (!response.ok) return;
  const { ticket } = await response.json();
  const stream = new EventSource(`/api/webchat/${encodeURIComponent(visitorId)}/stream?ticket=${ticket}`);
  stream.onmessage = () => catchUp();
  // A ticket works once: on a dropped connection, start over with a new one.
  stream.onerror = () => {
    stream.close();
    setTimeout(listen, 3000);
  };
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text });
});

const first = await fetch(`/api/webchat/${encodeURIComponent(visitorId)}/messages`, { headers });
const history = first.ok ? await first.json() : { messages: [] };
for (const m of history.messages) render(m.from, m.text, m.buttons ?? [], m.id);
cursor = history.cursor ?? cursor;
if (history.messages.length === 0) await send({ action: 'menu' });
listen();
