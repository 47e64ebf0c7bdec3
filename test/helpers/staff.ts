// Staff accounts and console requests for desk tests.
import type { TestApp } from './app.ts';

export async function addStaff(
  t: TestApp,
  username: string,
  options: {
    role?: 'admin' | 'agent';
    online?: boolean;
    capacity?: number;
    telegramUserId?: string;
    wecomUserId?: string;
  } = {},
) {
  const staff = await t.app.services.staff.create(
    {
      username,
      name: username.toUpperCase(),
      role: options.role ?? 'agent',
      password: `${username}-password`,
      ...(options.capacity ? { capacity: options.capacity } : {}),
      ...(options.telegramUserId ? { telegramUserId: options.telegramUserId } : {}),
      ...(options.wecomUserId ? { wecomUserId: options.wecomUserId } : {}),
    },
    { type: 'system' },
  );
  if (options.online) await t.app.services.staff.setOnline(staff.id, true, { type: 'system' });
  return staff;
}

/** Logs in through the console API and returns a request function bound to the session. */
export async function loginAs(t: TestApp, username: string) {
  const login = await t.app.http.inject({
    method: 'POST',
    url: '/api/console/login',
    payload: { username, password: `${username}-password` },
  });
  const { token } = login.json<{ token: string }>();
  return async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const response = await t.app.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined
        ? {}
        : {
            payload: JSON.stringify(body),
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          }),
    });
    return { status: response.statusCode, body: response.body ? response.json() : null };
  };
}
