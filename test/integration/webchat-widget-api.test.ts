// What the embeddable widget needs from the server besides the chat itself: its script, the shop's
// look (settings, admin-only to change), and CORS for the shop's own sites only. Both databases.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

const SHOP_SITE = 'https://shop.example';

describeEachProvider('webchat widget API', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ provider, env: { SHOP_NAME: '小店', WEBCHAT_ALLOWED_ORIGINS: SHOP_SITE } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves widget.js as a script any page may load', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.body).toContain('x-visitor-secret');
    // The widget's sources are not served, only its bundle.
    expect((await t.app.http.inject({ method: 'GET', url: '/widget/src/main.ts' })).statusCode).toBe(404);
  });

  it("greets a new visitor in the widget's language (Accept-Language) until they write in another", async () => {
    const say = (visitorId: string, payload: Record<string, unknown>, language?: string) =>
      t.app.http.inject({
        method: 'POST',
        url: '/api/webchat/messages',
        headers: {
          'x-visitor-secret': `secret-of-${visitorId}`.padEnd(16, '_'),
          ...(language ? { 'accept-language': language } : {}),
        },
        payload: { visitorId, ...payload },
      });
    const textOf = (response: { json: () => unknown }) =>
      (response.json() as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n');
    const english = await say('v-lang-en', { action: 'menu' }, 'en-US,en;q=0.9,zh-CN;q=0.5');
    expect(english.statusCode).toBe(200);
    expect(textOf(english)).toContain('I am the assistant of 小店');
    const customer = async (visitorId: string) =>
      (await t.app.store.repos.customers.findIdentity('webchat', visitorId))?.customer;
    expect(await customer('v-lang-en')).toMatchObject({ locale: 'en', localeSource: 'use' });
    // Their own clear writing wins over the browser's language.
    expect(textOf(await say('v-lang-en', { text: '我想看看你们的杯子有什么款式' }, 'en'))).toMatch(/[\u4e00-\u9fff]/);
    // The shop's own language, or a language the shop does not speak, changes nothing (no write).
    for (const [visitorId, language] of [
      ['v-lang-zh', 'zh-CN,zh;q=0.9'],
      ['v-lang-fr', 'fr-FR'],
    ] as const) {
      const response = await say(visitorId, { action: 'menu' }, language);
      expect(textOf(response)).toContain('我是小店的小助手');
      expect((await customer(visitorId))?.locale ?? null).toBeNull();
    }
  });

  it('gives the look to anyone, and lets only admins change it (validated, audited)', async () => {
    const initial = await t.app.http.inject({ method: 'GET', url: '/api/webchat/settings' });
    expect(initial.json()).toEqual({
      title: '小店',
      logoUrl: null,
      color: '#c8102e',
      locale: 'zh-CN',
      preChat: { name: false, phone: false },
      uploadMaxBytes: 5 * 1024 * 1024,
    });

    const change = { title: '小店客服', color: '#0a7d5a', preChat: { name: true, phone: false } };
    const anonymous = await t.app.http.inject({ method: 'PUT', url: '/api/webchat/settings', payload: change });
    expect(anonymous.statusCode).toBe(401);
    await addStaff(t, 'agent-a');
    const agent = await loginAs(t, 'agent-a');
    expect((await agent('PUT', '/api/webchat/settings', change)).status).toBe(403);
    for (const bad of [{ color: 'red' }, { logoUrl: 'javascript:alert(1)' }, { title: '' }, { extra: 1 }]) {
      expect((await t.admin('PUT', '/api/webchat/settings', bad)).status).toBe(400);
    }
    expect((await t.admin('PUT', '/api/webchat/settings', change)).status).toBe(200);
    const after = await t.app.http.inject({ method: 'GET', url: '/api/webchat/settings' });
    expect(after.json()).toMatchObject({ title: '小店客服', color: '#0a7d5a', preChat: { name: true, phone: false } });
    const audit = await t.app.store.repos.audit.forEntity('setting', 'webchat.settings');
    expect(audit.map((a) => a.action)).toEqual(['webchat.settings']);
  });

  it('answers CORS for the allowed shop site only, with the secret header allowed', async () => {
    const preflight = (origin: string) =>
      t.app.http.inject({
        method: 'OPTIONS',
        url: '/api/webchat/messages',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-visitor-secret',
        },
      });
    const allowed = await preflight(SHOP_SITE);
    expect(allowed.headers['access-control-allow-origin']).toBe(SHOP_SITE);
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('x-visitor-secret');
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
    const other = await preflight('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const thread = await t.app.http.inject({
      method: 'GET',
      url: '/api/webchat/w-cors/messages',
      headers: { origin: SHOP_SITE, 'x-visitor-secret': 'cors-visitor-secret-0000' },
    });
    expect(thread.headers['access-control-allow-origin']).toBe(SHOP_SITE);
    // The admin API is not opened to the shop's site.
    const admin = await t.app.http.inject({ method: 'GET', url: '/api/products', headers: { origin: SHOP_SITE } });
    expect(admin.headers['access-control-allow-origin']).toBeUndefined();
  });
});
