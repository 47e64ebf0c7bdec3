// Console shell: login, navigation from pages.js, one shared live event stream, toasts.
import { api, connectEvents, session } from './api.js';
import { pages } from './pages.js';

const $ = (id) => document.getElementById(id);
let me = null;
let cleanup = null;
let disconnect = null;
const subscribers = new Set();

const events = {
  /** Subscribes to live events; returns an unsubscribe function. */
  on(fn) {
    subscribers.add(fn);
    return () => subscribers.delete(fn);
  },
};

function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('show'), 6000);
}

function showLogin(message = '') {
  $('shell').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const token = String(form.get('token') ?? '').trim();
  const body = token
    ? { token }
    : { username: String(form.get('username') ?? '').trim(), password: String(form.get('password') ?? '') };
  try {
    session.token = null;
    const result = await api('POST', '/api/console/login', body);
    session.token = result.token;
    await start();
  } catch (error) {
    showLogin(error.status === 401 ? '用户名或密码错误 / Wrong username or password' : error.message);
  }
});

$('logout').addEventListener('click', () => {
  session.token = null;
  disconnect?.();
  showLogin();
});

$('online').addEventListener('change', async (event) => {
  try {
    await api('POST', '/api/console/presence', { online: event.target.checked });
  } catch (error) {
    toast(error.message);
    event.target.checked = !event.target.checked;
  }
});

function visiblePages() {
  return pages.filter((p) => !p.adminOnly || me.role === 'admin');
}

function renderNav(current) {
  $('nav').replaceChildren(
    ...visiblePages().map((p) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = p.href ?? `#${p.id}`;
      a.textContent = p.title;
      if (p.id === current) a.setAttribute('aria-current', 'page');
      li.append(a);
      return li;
    }),
  );
}

async function route() {
  const list = visiblePages().filter((p) => p.module);
  const wanted = location.hash.slice(1).split('/')[0];
  const page = list.find((p) => p.id === wanted) ?? list[0];
  renderNav(page.id);
  cleanup?.();
  cleanup = null;
  const root = $('page');
  root.replaceChildren();
  const module = await import(new URL(page.module, import.meta.url).href);
  cleanup = (await module.mount(root, { api, me, events, toast })) ?? null;
}

async function start() {
  if (!session.token) return showLogin();
  try {
    me = (await api('GET', '/api/console/me')).staff;
  } catch {
    session.token = null;
    return showLogin();
  }
  $('login').hidden = true;
  $('shell').hidden = false;
  $('who').textContent = `${me.name} · ${me.role}`;
  $('online').checked = Boolean(me.online);
  $('online').disabled = me.id === null;
  disconnect?.();
  const relay = (type) => (data) => {
    for (const fn of subscribers) fn(type, data);
    if (type === 'desk' && data.type?.startsWith('sla_') && (data.staffId === me.id || me.role === 'admin')) {
      toast(`⚠ #${data.conversationId} ${data.text}`);
    }
  };
  disconnect = connectEvents({
    ready: (data) => {
      document.body.dataset.live = 'true';
      relay('ready')(data);
    },
    conversation: relay('conversation'),
    interaction: relay('interaction'),
    desk: relay('desk'),
  });
  await route();
}

window.addEventListener('hashchange', () => {
  if (me) route();
});
start();
