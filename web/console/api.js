// The console's connection to the server: the session token, JSON requests, the live event stream.
const KEY = 'guanxi.console.token';

export const session = {
  get token() {
    return sessionStorage.getItem(KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  },
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiError(res.status, data?.error?.code ?? 'error', data?.error?.message ?? res.statusText);
  }
  return data;
}

/** Live events (SSE): calls listeners[type](data). EventSource cannot send headers, so the token goes in the URL. */
export function connectEvents(listeners) {
  const source = new EventSource(`/api/console/events?token=${encodeURIComponent(session.token ?? '')}`);
  for (const [type, fn] of Object.entries(listeners)) {
    source.addEventListener(type, (event) => fn(JSON.parse(event.data)));
  }
  return () => source.close();
}
