// Marketing consent is opt-in (issue 14, finding 8) and a customer can ask for erasure in chat, on
// both databases through the webchat route: new customers start without consent unless
// MARKETING_CONSENT_DEFAULT says their channel consents; the menu offers 订阅; each change is kept
// with its time and channel; 删除我的信息 opens one case for staff.
import { afterEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

describeEachProvider('consent and data requests in chat', (provider) => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });
  const customerOf = async (channel: 'webchat' | 'telegram', externalId: string) => {
    const found = await t.app.store.repos.customers.findIdentity(channel, externalId);
    return found ? t.app.services.customers.get(found.customerId) : null;
  };

  it('new customers start without marketing consent; 订阅 from the menu gives it, with time and channel', async () => {
    t = await createTestApp({ provider, env: { MARKETING_CONSENT_DEFAULT: 'false' } });
    const menu = await t.say('v-new', '你好');
    expect((await customerOf('webchat', 'v-new'))?.marketingOptIn).toBe(false);
    const offer = menu.replies.flatMap((r) => r.buttons ?? []).find((b) => b.data === 'subscribe');
    expect(offer?.label).toContain('订阅');
    // Nobody is in a consent audience yet.
    const audience = await t.admin('POST', '/api/segments/preview', { rules: { type: 'consent', optIn: true } });
    expect(audience.body).toMatchObject({ count: 0 });

    t.clock.advance(60_000);
    const subscribed = await t.press('v-new', 'subscribe', offer?.label);
    expect(subscribed.text).toContain('订阅');
    const customer = await customerOf('webchat', 'v-new');
    expect(customer?.marketingOptIn).toBe(true);
    const exported = await t.admin('GET', `/api/customers/${customer?.id}/export`);
    expect(exported.body).toMatchObject({
      consents: {
        marketingOptIn: true,
        history: [{ change: 'consent.opt_in', via: 'webchat', at: t.clock.now().toISOString() }],
      },
    });
    // Once consenting, the menu stops offering it.
    const again = await t.say('v-new', '菜单');
    expect(again.replies.flatMap((r) => r.buttons ?? []).some((b) => b.data === 'subscribe')).toBe(false);
  });

  it('MARKETING_CONSENT_DEFAULT as a channel list: first contact consents only there; existing rows keep theirs', async () => {
    t = await createTestApp({ provider, env: { MARKETING_CONSENT_DEFAULT: 'telegram' } });
    const order = (channel: string, externalId: string, orderNo: string) =>
      t.admin('POST', '/api/orders', {
        orderNo,
        customer: { channel, externalId },
        items: [{ sku: 'X-1', name: 'x', qty: 1, price: 100 }],
        total: 100,
        status: 'paid',
      });
    expect((await order('telegram', '4242', 'C-1')).status).toBe(200);
    expect((await order('webchat', 'v-web', 'C-2')).status).toBe(200);
    expect((await customerOf('telegram', '4242'))?.marketingOptIn).toBe(true);
    expect((await customerOf('webchat', 'v-web'))?.marketingOptIn).toBe(false);
    // A customer who said 退订 stays out, whatever the default.
    await t.say('v-web', '订阅');
    await t.say('v-web', '退订');
    expect((await customerOf('webchat', 'v-web'))?.marketingOptIn).toBe(false);
  });

  it('删除我的信息 / delete my data opens one case for staff and says its number', async () => {
    t = await createTestApp({ provider });
    const first = await t.say('v-erase', '删除我的信息');
    const caseNo = /AS\d{8}-\d{4}/.exec(first.text)?.[0];
    expect(caseNo).toBeDefined();
    expect(first.text).toContain('删除个人信息');
    const again = await t.say('v-erase', 'please delete my data');
    expect(again.text).toContain(caseNo ?? '-');
    const cases = await t.admin('GET', '/api/cases?type=other');
    const open = JSON.stringify(cases.body);
    expect(open).toContain(caseNo ?? '-');
    expect(open.match(/AS\d{8}-\d{4}/g)?.length).toBe(1);
    // Nothing was erased by the bot itself: staff do that through the admin API.
    expect((await customerOf('webchat', 'v-erase'))?.erasedAt).toBeNull();
  });
});
