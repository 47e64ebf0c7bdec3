// Issue 14, findings 3 and 4: console sessions are stored, so they expire (idle and absolute), end on
// a password change, deactivation, logout or revocation, and hold on every instance; issued staff
// API tokens are revocable and die with deactivation; request logs carry no credential.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLogger } from '../../src/kernel/logger.ts';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff } from '../helpers/staff.ts';

const MINUTE = 60_000;

describeEachProvider('staff sessions', (provider) => {
  let t: TestApp;
  let aliceId = 0;
  const env = { SESSION_IDLE_MINUTES: '60', SESSION_MAX_HOURS: '3' };

  beforeEach(async () => {
    t = await createTestApp({ provider, env });
    aliceId = (await addStaff(t, 'alice')).id;
    await addStaff(t, 'bruce');
  });
  afterEach(async () => {
    await t.close();
  });

  const login = async (username: string, password = `${username}-password`, app = t) => {
    const response = await app.app.http.inject({
      method: 'POST',
      url: '/api/console/login',
      payload: { username, password },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ token: string; expiresAt: string }>().token;
  };
  const call = async (token: string, method: 'GET' | 'POST' | 'DELETE', url: string, app = t) => {
    const response = await app.app.http.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, body: response.body ? response.json() : null };
  };
  const me = async (token: string, app = t) => (await call(token, 'GET', '/api/console/me', app)).status;

  it('ends a session after SESSION_IDLE_MINUTES without use, and at SESSION_MAX_HOURS however busy', async () => {
    const idle = await login('alice');
    const busy = await login('alice');
    t.clock.advance(59 * MINUTE);
    expect(await me(busy)).toBe(200);
    t.clock.advance(2 * MINUTE);
    expect(await me(idle)).toBe(401);
    // Used every 50 minutes, the other one lives until its absolute end (3 hours after login).
    for (let i = 0; i < 2; i++) {
      t.clock.advance(50 * MINUTE);
      expect(await me(busy)).toBe(200);
    }
    t.clock.advance(20 * MINUTE);
    expect(await me(busy)).toBe(401);
    const answer = await call(busy, 'GET', '/api/console/me');
    expect(answer.body).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('ends every session of an account when its password changes or it is deactivated', async () => {
    const first = await login('alice');
    const second = await login('alice');
    const bruce = await login('bruce');
    const changed = await t.admin('PATCH', `/api/console/staff/${aliceId}`, { password: 'a-new-password-1' });
    expect(changed.status).toBe(200);
    expect(await me(first)).toBe(401);
    expect(await me(second)).toBe(401);
    expect(await me(bruce)).toBe(200);
    const again = await login('alice', 'a-new-password-1');
    expect(await me(again)).toBe(200);

    const apiToken = ((await t.admin('POST', `/api/console/staff/${aliceId}/token`)).body as { token: string }).token;
    expect(await me(apiToken)).toBe(200);
    expect((await t.admin('PATCH', `/api/console/staff/${aliceId}`, { active: false })).status).toBe(200);
    expect(await me(again)).toBe(401);
    expect(await me(apiToken)).toBe(401);
  });

  it('lists and revokes sessions: one’s own, or anyone’s for an admin; logout and logout everywhere', async () => {
    const laptop = await login('alice');
    const phone = await login('alice');
    const bruce = await login('bruce');
    const listed = await call(laptop, 'GET', '/api/staff/sessions');
    expect(listed.status).toBe(200);
    const sessions = (listed.body as { sessions: { id: number; current: boolean }[] }).sessions;
    expect(sessions).toHaveLength(2);
    const phoneSession = sessions.find((s) => !s.current);
    expect(phoneSession).toBeDefined();
    // Bruce cannot see or end Alice's sessions.
    expect((await call(bruce, 'GET', `/api/staff/sessions?staffId=${aliceId}`)).status).toBe(404);
    expect((await call(bruce, 'DELETE', `/api/staff/sessions/${phoneSession?.id}`)).status).toBe(404);
    expect(await me(phone)).toBe(200);
    expect((await call(laptop, 'DELETE', `/api/staff/sessions/${phoneSession?.id}`)).status).toBe(200);
    expect(await me(phone)).toBe(401);
    expect(await me(laptop)).toBe(200);

    expect((await call(laptop, 'POST', '/api/console/logout')).status).toBe(200);
    expect(await me(laptop)).toBe(401);

    const a = await login('alice');
    const b = await login('alice');
    const everywhere = await call(ADMIN_TOKEN, 'POST', `/api/staff/${aliceId}/logout-all`);
    expect(everywhere).toEqual({ status: 200, body: { ended: 2 } });
    expect(await me(a)).toBe(401);
    expect(await me(b)).toBe(401);
    expect(await me(bruce)).toBe(200);
    const trail = await t.app.store.repos.audit.forEntity('staff', String(aliceId));
    expect(trail.filter((e) => e.action === 'staff.session_end')).toHaveLength(3);
  });

  it('revokes an issued staff API token; ADMIN_TOKEN keeps working on staff and admin routes', async () => {
    const token = ((await t.admin('POST', `/api/console/staff/${aliceId}/token`)).body as { token: string }).token;
    expect((await call(token, 'GET', '/api/console/queue')).status).toBe(200);
    expect((await call(token, 'DELETE', `/api/console/staff/${aliceId}/token`)).status).toBe(403);
    expect((await t.admin('DELETE', `/api/console/staff/${aliceId}/token`)).status).toBe(200);
    expect((await call(token, 'GET', '/api/console/queue')).status).toBe(401);
    expect((await call(ADMIN_TOKEN, 'GET', '/api/console/queue')).status).toBe(200);
    expect((await call(ADMIN_TOKEN, 'GET', '/api/audit')).status).toBe(200);
  });

  it('holds on every instance: a session from one is accepted, and ended, on another', async () => {
    const other = await createTestApp({ provider, database: t.database, env, clock: t.clock });
    try {
      const token = await login('alice');
      expect(await me(token, other)).toBe(200);
      expect((await call(token, 'POST', '/api/console/logout', other)).status).toBe(200);
      expect(await me(token)).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describeEachProvider('request logs', (provider) => {
  it('carry no credential: no Authorization, cookie or visitor secret, no token or secret in a URL', async () => {
    const lines: string[] = [];
    const t = await createTestApp({
      provider,
      app: { log: createLogger('info', { write: (line: string) => void lines.push(line) }) },
    });
    try {
      await addStaff(t, 'alice');
      const login = await t.app.http.inject({
        method: 'POST',
        url: '/api/console/login',
        payload: { username: 'alice', password: 'alice-password' },
      });
      const session = login.json<{ token: string }>().token;
      const secrets = [session, ADMIN_TOKEN, 'alice-password', 'cookie-value-123', 'visitor-secret-abcdefgh'];
      await t.app.http.inject({
        method: 'GET',
        url: `/api/console/events-nowhere?token=${session}&ticket=visitor-secret-abcdefgh&x=1`,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          cookie: 'sid=cookie-value-123',
          'x-visitor-secret': 'visitor-secret-abcdefgh',
        },
      });
      await t.app.http.inject({
        method: 'GET',
        url: `/api/console/me?admin_token=${ADMIN_TOKEN}&secret=cookie-value-123`,
        headers: { authorization: `Bearer ${session}` },
      });
      const text = lines.join('');
      // The requests are logged, without their credentials.
      expect(text).toContain('/api/console/events-nowhere?token=[redacted]&ticket=[redacted]&x=1');
      expect(text).toContain('/api/console/me?admin_token=[redacted]&secret=[redacted]');
      for (const secret of secrets) expect(text, secret).not.toContain(secret);
    } finally {
      await t.close();
    }
  });
});
