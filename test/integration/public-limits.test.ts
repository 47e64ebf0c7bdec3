// The public surface (issue 14, finding 6): per-address rate limits on the webchat and the login,
// counted in the database so several instances share them, with TRUST_PROXY deciding whose address
// X-Forwarded-For is; and security headers on every page.
import { afterEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff } from '../helpers/staff.ts';

describeEachProvider('public surface limits', (provider) => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.reverse()) await app.close();
    apps.length = 0;
  });
  const start = async (env: Record<string, string>, database?: TestApp['database']) => {
    const t = await createTestApp({ provider, env, ...(database ? { database } : {}) });
    apps.push(t);
    return t;
  };
  const chat = (t: TestApp, visitorId: string, headers: Record<string, string> = {}, remoteAddress = '203.0.113.7') =>
    t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      payload: { visitorId, text: '你好' },
      headers: { 'x-visitor-secret': `secret-of-${visitorId}`.padEnd(16, '_'), ...headers },
      remoteAddress,
    });

  it('webchat messages past the per-minute limit get 429 with Retry-After and create nothing', async () => {
    const t = await start({ RATE_LIMIT_WEBCHAT_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i++) expect((await chat(t, `v-${i}`)).statusCode).toBe(200);
    const refused = await chat(t, 'v-extra');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await t.app.store.repos.customers.findIdentity('webchat', 'v-extra')).toBeNull();
    // Another address has its own count; the next minute starts a new one.
    expect((await chat(t, 'v-other', {}, '198.51.100.9')).statusCode).toBe(200);
    t.clock.advance(60_000);
    expect((await chat(t, 'v-extra')).statusCode).toBe(200);
  });

  it('two instances on one database share the count', async () => {
    const first = await start({ RATE_LIMIT_WEBCHAT_PER_MINUTE: '2' });
    const second = await start({ RATE_LIMIT_WEBCHAT_PER_MINUTE: '2' }, first.database);
    second.clock.set(first.clock.now());
    expect((await chat(first, 'v-a')).statusCode).toBe(200);
    expect((await chat(second, 'v-b')).statusCode).toBe(200);
    expect((await chat(first, 'v-c')).statusCode).toBe(429);
    expect((await chat(second, 'v-d')).statusCode).toBe(429);
  });

  it('login attempts past the limit get 429, even with the right password', async () => {
    const t = await start({ RATE_LIMIT_LOGIN_PER_MINUTE: '2' });
    await addStaff(t, 'kim');
    const login = (password: string) =>
      t.app.http.inject({
        method: 'POST',
        url: '/api/console/login',
        payload: { username: 'kim', password },
        remoteAddress: '203.0.113.7',
      });
    expect((await login('wrong-1')).statusCode).toBe(401);
    expect((await login('wrong-2')).statusCode).toBe(401);
    const third = await login('kim-password');
    expect([third.statusCode, third.json()]).toEqual([
      429,
      { error: { code: 'rate_limited', message: expect.any(String) } },
    ]);
    expect(third.headers['retry-after']).toBeDefined();
  });

  it('X-Forwarded-For counts only behind a trusted proxy', async () => {
    const direct = await start({ RATE_LIMIT_WEBCHAT_PER_MINUTE: '1' });
    expect((await chat(direct, 'v-1', { 'x-forwarded-for': '192.0.2.1' })).statusCode).toBe(200);
    // Without TRUST_PROXY a forged header does not buy a fresh count.
    expect((await chat(direct, 'v-2', { 'x-forwarded-for': '192.0.2.2' })).statusCode).toBe(429);

    const proxied = await start({ RATE_LIMIT_WEBCHAT_PER_MINUTE: '1', TRUST_PROXY: '1' });
    expect((await chat(proxied, 'v-1', { 'x-forwarded-for': '192.0.2.1' }, '10.0.0.2')).statusCode).toBe(200);
    expect((await chat(proxied, 'v-2', { 'x-forwarded-for': '192.0.2.2' }, '10.0.0.2')).statusCode).toBe(200);
    expect((await chat(proxied, 'v-3', { 'x-forwarded-for': '192.0.2.1' }, '10.0.0.2')).statusCode).toBe(429);
  });

  it('security headers: strict CSP and no framing for the console and the API, embeddable webchat page', async () => {
    const t = await start({});
    for (const url of ['/console/', '/api/console/me', '/healthz']) {
      const res = await t.app.http.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
    const page = await t.app.http.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain('frame-ancestors *');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(page.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // No inline script in the pages the CSP guards.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const console = await t.app.http.inject({ method: 'GET', url: '/console/' });
    expect(console.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
