// Shared helpers for the standalone console pages (loyalty, surveys): bearer token from
// localStorage 'guanxi.token', JSON fetch with the API's error shape, and small DOM helpers.
window.guanxi = (() => {
  const TOKEN_KEY = 'guanxi.token';
  function token() {
    // Signed in to the console in this tab? Use that session; otherwise a pasted admin/staff token.
    let value = sessionStorage.getItem('guanxi.console.token') || localStorage.getItem(TOKEN_KEY);
    if (!value) {
      value = prompt('Admin or staff token / 管理令牌') || '';
      if (value) localStorage.setItem(TOKEN_KEY, value);
    }
    return value;
  }
  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 401) localStorage.removeItem(TOKEN_KEY);
    const type = response.headers.get('content-type') || '';
    const data = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) throw new Error(data?.error?.message || `HTTP ${response.status}`);
    return data;
  }
  async function download(url, filename) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token()}` } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const blob = await response.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = filename;
    link.click();
    URL.revokeObjectURL(link.href);
  }
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === 'class') node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children)
      node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
    return node;
  }
  function table(headers, rows) {
    return el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
    );
  }
  function show(id, ...nodes) {
    const target = document.getElementById(id);
    target.replaceChildren(...nodes);
  }
  function fail(id, error) {
    show(id, el('p', { class: 'error' }, error.message || String(error)));
  }
  return { api, download, el, table, show, fail, token };
})();
