// The webchat visitor secret (issue 14, finding 1): knowing a visitorId is not enough to read that
// customer's thread or to act as them. Through the HTTP routes, on both databases.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/kernel/logger.ts';
import { createTestApp, type TestApp, visitorHeaders, visitorSecret } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

const ATTACKER = { 'x-visitor-secret': 'attacker-guess-0000000000' };

describeEachProvider('webchat visitor secret', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ provider });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.app.http.inject({ method: 'POST', url: '/api/webchat/messages', payload: body, headers });
  const read = (visitorId: string, headers: Record<string, string> = {}) =>
    t.app.http.inject({ method: 'GET', url: `/api/webchat/${visitorId}/messages`, headers });
  const customerOf = async (visitorId: string) =>
    (await t.app.store.repos.customers.findIdentity('webchat', visitorId))?.customerId;
  const interactionCount = async (visitorId: string) => {
    const customerId = await customerOf(visitorId);
    return customerId === undefined ? 0 : t.app.store.repos.interactions.count({ customerId });
  };

  it('binds the first secret, stores only its hash, and refuses anyone else: 401, nothing written or revealed', async () => {
    const first = await t.say('s-victim', '我的资料');
    expect(first.status).toBe(200);
    const stored = await t.app.store.repos.webchat.secretHash('s-victim');
    expect(stored).toBe(createHash('sha256').update(visitorSecret('s-victim')).digest('hex'));
    expect(stored).not.toContain(visitorSecret('s-victim'));

    const before = await interactionCount('s-victim');
    for (const headers of [ATTACKER, {}]) {
      const acting = await post(
        { visitorId: 's-victim', text: '退订', messageId: `evil-${Object.keys(headers).length}` },
        headers,
      );
      expect(acting.statusCode).toBe(401);
      expect(acting.json()).toMatchObject({ error: { code: 'unauthorized' } });
      const reading = await read('s-victim', headers);
      expect(reading.statusCode).toBe(401);
      expect(reading.body).not.toContain('我的资料');
      const ticket = await t.app.http.inject({ method: 'POST', url: '/api/webchat/s-victim/stream-ticket', headers });
      expect(ticket.statusCode).toBe(401);
    }
    expect(await interactionCount('s-victim')).toBe(before);
    expect(await t.app.store.repos.processed.get('webchat', 'evil-1')).toBeNull();
    const customer = await t.app.store.repos.customers.get((await customerOf('s-victim')) ?? -1);
    expect(customer?.marketingOptOutAt ?? null).toBeNull();

    // The owner still reads the whole thread.
    const thread = await t.thread('s-victim');
    expect(thread.messages[0]).toMatchObject({ from: 'customer', text: '我的资料' });
  });

  it('answers a malformed secret with 400 on every route, before anything is written', async () => {
    for (const secret of ['short', 'has spaces in it 0123456789', 'x'.repeat(129), 'ünïcödé-secret-0123456789']) {
      const headers = { 'x-visitor-secret': secret };
      expect((await post({ visitorId: 's-malformed', text: 'hi' }, headers)).statusCode).toBe(400);
      expect((await read('s-malformed', headers)).statusCode).toBe(400);
      const ticket = await t.app.http.inject({
        method: 'POST',
        url: '/api/webchat/s-malformed/stream-ticket',
        headers,
      });
      expect(ticket.statusCode).toBe(400);
    }
    expect(await customerOf('s-malformed')).toBeUndefined();
    expect(await t.app.store.repos.webchat.secretHash('s-malformed')).toBeUndefined();
  });

  it('refuses a first message without a secret (nothing created)', async () => {
    const res = await post({ visitorId: 's-anonymous', text: 'hi' });
    expect(res.statusCode).toBe(401);
    expect(await customerOf('s-anonymous')).toBeUndefined();
  });

  it('never binds on a read: an unbound visitor reads an empty thread, even one the shop already wrote to', async () => {
    const order = await t.admin('POST', '/api/orders', {
      orderNo: 'SEC-1',
      customer: { channel: 'webchat', externalId: 's-imported', name: '张三', phone: '13800001111' },
      items: [{ sku: 'TS-001', name: 'T', qty: 1, price: 100 }],
      total: 100,
      status: 'paid',
    });
    expect(order.status).toBeLessThan(300);
    // A visitor from before secrets existed (or the CLI chat): history, but no bound secret.
    await t.app.webchat.receive({ visitorId: 's-imported', text: '查订单', messageId: 'pre-1' }, t.clock.now());
    await t.admin('PATCH', '/api/orders/SEC-1', { status: 'shipped', trackingNo: 'SF-SECRET' });
    await t.app.sender.drainChannel('webchat');

    const peek = await read('s-imported', ATTACKER);
    expect(peek.statusCode).toBe(200);
    expect(peek.json()).toMatchObject({ messages: [] });
    expect(peek.body).not.toContain('SF-SECRET');
    expect(peek.body).not.toContain('查订单');
    expect(await t.app.store.repos.webchat.secretHash('s-imported')).toBeUndefined();

    // The first message binds (the owner's device), and from then on the reader's guess is refused.
    expect((await t.say('s-imported', '你好')).status).toBe(200);
    expect((await read('s-imported', ATTACKER)).statusCode).toBe(401);
    expect(JSON.stringify((await t.thread('s-imported')).messages)).toContain('SF-SECRET');
  });

  it('lets a retry of the same messageId with the right secret return the same replies, once', async () => {
    const first = await t.say('s-retry', '菜单', { messageId: 's-retry-1' });
    const again = await t.say('s-retry', '菜单', { messageId: 's-retry-1' });
    expect(again.status).toBe(200);
    expect(again.replies).toEqual(first.replies);
    expect(first.replies.length).toBeGreaterThan(0);
    const retryByOther = await post({ visitorId: 's-retry', text: '菜单', messageId: 's-retry-1' }, ATTACKER);
    expect(retryByOther.statusCode).toBe(401);
    expect(retryByOther.body).not.toContain(first.replies[0]?.text ?? '');
  });

  it('binds one secret when two first messages race', async () => {
    const other = { 'x-visitor-secret': 'second-device-secret-0000' };
    const results = await Promise.all([
      post({ visitorId: 's-race', text: 'hi', messageId: 'race-a' }, visitorHeaders('s-race')),
      post({ visitorId: 's-race', text: 'hi', messageId: 'race-b' }, other),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('issues single-use stream tickets valid 60 s; the stream refuses a used, expired or foreign ticket', async () => {
    await t.say('s-stream', '你好');
    await t.say('s-other', '你好');
    const issue = async (visitorId: string) => {
      const res = await t.app.http.inject({
        method: 'POST',
        url: `/api/webchat/${visitorId}/stream-ticket`,
        headers: visitorHeaders(visitorId),
      });
      expect(res.statusCode).toBe(200);
      return res.json<{ ticket: string }>().ticket;
    };
    const base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const open = async (visitorId: string, ticket: string) => {
      const controller = new AbortController();
      const res = await fetch(`${base}/api/webchat/${visitorId}/stream?ticket=${ticket}`, {
        signal: controller.signal,
      });
      // What the stream says before its first message, or everything if it ends first.
      let first = '';
      if (res.ok && res.body) {
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          first += decoder.decode(chunk.value, { stream: true });
          if (first.includes('data:')) break;
        }
      }
      controller.abort();
      return { status: res.status, first };
    };

    const ticket = await issue('s-stream');
    expect((await open('s-other', ticket)).status).toBe(401);
    const live = await open('s-stream', ticket);
    expect(live.status).toBe(200);
    expect(live.first).toContain('你好');
    expect((await open('s-stream', ticket)).status).toBe(401);

    // A ticket taken for a visitor nobody has bound yet streams nothing, and once the real visitor
    // binds another secret that stream ends without a word of their thread.
    const early = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/s-unbound/stream-ticket',
      headers: ATTACKER,
    });
    expect(early.statusCode).toBe(200);
    expect(await t.app.store.repos.webchat.secretHash('s-unbound')).toBeUndefined();
    await t.say('s-unbound', '我的手机号是13800001111');
    const snooped = await open('s-unbound', early.json<{ ticket: string }>().ticket);
    expect(snooped.status).toBe(200);
    expect(snooped.first).not.toContain('data:');
    expect(snooped.first).not.toContain('13800001111');

    const late = await issue('s-stream');
    t.clock.advance(61_000);
    expect((await open('s-stream', late)).status).toBe(401);
  });

  it('keeps the secret out of log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info({ req: { headers: { 'x-visitor-secret': visitorSecret('s-log') } } }, 'request');
    expect(lines.join('')).toContain('request');
    expect(lines.join('')).not.toContain(visitorSecret('s-log'));
  });
});
