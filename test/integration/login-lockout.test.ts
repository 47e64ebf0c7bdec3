// Issue 14, finding 4: 300 wrong passwords, then the right one worked. Now LOGIN_MAX_FAILURES wrong
// passwords in a row lock the account for LOGIN_LOCKOUT_MINUTES: even the right password gets 429
// with Retry-After. The counter and the lock are in the database, so every instance honours them.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff } from '../helpers/staff.ts';

const MINUTE = 60_000;

describeEachProvider('login lockout', (provider) => {
  let t: TestApp;
  let aliceId = 0;
  const env = { LOGIN_MAX_FAILURES: '5', LOGIN_LOCKOUT_MINUTES: '15' };

  beforeEach(async () => {
    t = await createTestApp({ provider, env });
    aliceId = (await addStaff(t, 'alice')).id;
  });
  afterEach(async () => {
    await t.close();
  });

  const attempt = async (password: string, app = t) => {
    const response = await app.app.http.inject({
      method: 'POST',
      url: '/api/console/login',
      payload: { username: 'alice', password },
    });
    return { status: response.statusCode, retryAfter: response.headers['retry-after'], body: response.json() };
  };

  it('locks the account after LOGIN_MAX_FAILURES wrong passwords; the right one gets 429 until the lock ends', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-guess')).status).toBe(401);
    const locked = await attempt('alice-password');
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBe(String(15 * 60));
    expect(locked.body).toMatchObject({ error: { code: 'rate_limited' } });
    t.clock.advance(10 * MINUTE);
    const later = await attempt('alice-password');
    expect(later.status).toBe(429);
    expect(later.retryAfter).toBe(String(5 * 60));
    t.clock.advance(5 * MINUTE);
    expect((await attempt('alice-password')).status).toBe(200);
    const trail = await t.app.store.repos.audit.forEntity('staff', String(aliceId));
    expect(trail.filter((e) => e.action === 'staff.locked')).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'staff.login_failed')).toHaveLength(5);
  });

  it('lifts the lock when an admin sets a new password', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-guess')).status).toBe(401);
    expect((await attempt('alice-password')).status).toBe(429);
    expect((await t.admin('PATCH', `/api/console/staff/${aliceId}`, { password: 'fresh-password-9' })).status).toBe(
      200,
    );
    expect((await attempt('fresh-password-9')).status).toBe(200);
  });

  it('counts failures in a row: a successful login starts the count again', async () => {
    for (let i = 0; i < 4; i++) expect((await attempt('wrong-guess')).status).toBe(401);
    expect((await attempt('alice-password')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt('wrong-guess')).status).toBe(401);
    expect((await attempt('alice-password')).status).toBe(200);
  });

  it('holds across instances sharing the database', async () => {
    const other = await createTestApp({ provider, database: t.database, env, clock: t.clock });
    try {
      for (let i = 0; i < 3; i++) expect((await attempt('wrong-guess')).status).toBe(401);
      for (let i = 0; i < 2; i++) expect((await attempt('wrong-guess', other)).status).toBe(401);
      expect((await attempt('alice-password')).status).toBe(429);
      expect((await attempt('alice-password', other)).status).toBe(429);
    } finally {
      await other.close();
    }
  });
});
