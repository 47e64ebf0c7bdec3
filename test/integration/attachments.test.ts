// Webchat attachments through HTTP: a visitor uploads a photo (checked by content and size), reads it
// back, logs it on a message; staff read it; nobody else does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { multipartFile as multipart, PNG } from '../helpers/files.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

const secretOf = (visitorId: string) => `secret-of-${visitorId}`.padEnd(16, '_');

describeEachProvider('webchat attachments', (provider) => {
  let t: TestApp;
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'guanxi-attachments-'));
    t = await createTestApp({ provider, env: { DATA_DIR: dataDir, UPLOAD_MAX_MB: '0.01' } });
  });
  afterEach(async () => {
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function upload(visitorId: string, bytes: Buffer, filename = 'photo.png', mime = 'image/png') {
    const body = multipart(bytes, filename, mime);
    const response = await t.app.http.inject({
      method: 'POST',
      url: `/api/webchat/${visitorId}/attachments`,
      headers: { ...body.headers, 'x-visitor-secret': secretOf(visitorId) },
      payload: body.payload,
    });
    return { status: response.statusCode, body: response.json() as { id?: string; error?: { code: string } } };
  }

  const read = (visitorId: string, id: string) =>
    t.app.http.inject({
      method: 'GET',
      url: `/api/webchat/${visitorId}/attachments/${id}`,
      headers: { 'x-visitor-secret': secretOf(visitorId) },
    });

  it('stores a photo, gives it back to its visitor and to staff, and logs it on the message', async () => {
    const uploaded = await upload('v-photo', PNG);
    expect(uploaded.status).toBe(201);
    const id = uploaded.body.id ?? '';
    expect(id).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const mine = await read('v-photo', id);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/png');
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    expect(mine.rawPayload.equals(PNG)).toBe(true);
    // Another visitor who learns the id gets nothing.
    expect((await read('v-other', id)).statusCode).toBe(404);

    const sent = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      headers: { 'x-visitor-secret': secretOf('v-photo') },
      payload: { visitorId: 'v-photo', text: '商品有破损，照片如下', attachments: [id] },
    });
    expect(sent.statusCode).toBe(200);
    const customerId = (await t.app.store.repos.customers.findIdentity('webchat', 'v-photo'))?.customerId ?? -1;
    const interactions = await t.app.store.repos.interactions.forCustomer(customerId, 200);
    const inbound = interactions.find((i) => i.text === '商品有破损，照片如下');
    expect(inbound?.payload).toMatchObject({ attachments: [id] });

    // Staff see it in the conversation: the message lists the photo, and their session reads it.
    await addStaff(t, 'boss', { role: 'admin', online: true });
    const agent = await loginAs(t, 'boss');
    const conversationId = (sent.json() as { conversation: { id: number } }).conversation.id;
    const view = await agent('GET', `/api/console/conversations/${conversationId}`);
    const messages = (view.body as { messages: Array<{ text: string | null; attachments: string[] }> }).messages;
    expect(messages.find((m) => m.text === '商品有破损，照片如下')?.attachments).toEqual([id]);

    // The visitor's thread (a reloaded widget) shows the photo on their message; a photo sent on its
    // own is a message of its own.
    const second = await upload('v-photo', PNG, 'second.png');
    const alone = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      headers: { 'x-visitor-secret': secretOf('v-photo') },
      payload: { visitorId: 'v-photo', attachments: [second.body.id ?? ''] },
    });
    expect(alone.statusCode).toBe(200);
    // Outside any step that asks for a photo, the bot says it has it and where a photo helps.
    const answer = (alone.json() as { replies: Array<{ text: string; buttons?: Array<{ data: string }> }> }).replies;
    expect(answer.map((r) => r.text).join('\n')).toContain('收到你的图片');
    expect(answer.flatMap((r) => r.buttons ?? []).map((b) => b.data)).toEqual(['aftersale', 'human']);
    const thread = await t.app.http.inject({
      method: 'GET',
      url: '/api/webchat/v-photo/messages',
      headers: { 'x-visitor-secret': secretOf('v-photo') },
    });
    const customerSaid = (
      thread.json() as { messages: Array<{ from: string; text: string; attachments?: unknown }> }
    ).messages
      .filter((m) => m.from === 'customer')
      .map(({ text, attachments }) => ({ text, attachments }));
    expect(customerSaid).toEqual([
      {
        text: '商品有破损，照片如下',
        attachments: [{ id, kind: 'image', mime: 'image/png', size: PNG.length, name: 'photo.png' }],
      },
      {
        text: '',
        attachments: [{ id: second.body.id, kind: 'image', mime: 'image/png', size: PNG.length, name: 'second.png' }],
      },
    ]);

    // An id this visitor did not upload cannot be attached.
    const foreign = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      headers: { 'x-visitor-secret': secretOf('v-other') },
      payload: { visitorId: 'v-other', text: 'look', attachments: [id] },
    });
    expect(foreign.statusCode).toBe(400);

    const staff = await t.app.http.inject({
      method: 'GET',
      url: `/api/attachments/${id}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(staff.statusCode).toBe(200);
    expect(staff.rawPayload.equals(PNG)).toBe(true);
    expect((await t.app.http.inject({ method: 'GET', url: `/api/attachments/${id}` })).statusCode).toBe(401);
  });

  it('a photo sent at the after-sale photo step becomes the case photo', async () => {
    const order = await t.admin('POST', '/api/orders', {
      orderNo: 'AT-1',
      customer: { channel: 'webchat', externalId: 'v-case' },
      items: [{ sku: 'CUP', name: '杯子', qty: 1, price: 3900 }],
      total: 3900,
      status: 'delivered',
    });
    expect(order.status).toBe(200);
    const say = (payload: Record<string, unknown>) =>
      t.app.http.inject({
        method: 'POST',
        url: '/api/webchat/messages',
        headers: { 'x-visitor-secret': secretOf('v-case') },
        payload: { visitorId: 'v-case', ...payload },
      });
    await say({ text: '我要退货' });
    await say({ action: 'aftersale:order:AT-1', text: 'AT-1' });
    await say({ action: 'aftersale:reason:damaged', text: '破损' });
    await say({ action: 'aftersale:skip', text: '跳过' });
    const id = (await upload('v-case', PNG)).body.id ?? '';
    const filed = await say({ attachments: [id] });
    expect(filed.statusCode).toBe(200);
    const caseNo = /[A-Z]{2}\d{8}-\d{4}/.exec(JSON.stringify(filed.json()))?.[0] ?? '';
    expect(caseNo).not.toBe('');
    expect((await t.admin('GET', `/api/cases/${caseNo}`)).body).toMatchObject({ photoRef: `attachment:${id}` });
    // Staff see it on the case in the profile.
    const customerId = (await t.app.store.repos.customers.findIdentity('webchat', 'v-case'))?.customerId;
    const profile = await t.admin('GET', `/api/customers/${customerId}`);
    expect((profile.body as { cases: unknown[] }).cases).toEqual([
      expect.objectContaining({ caseNo, photoAttachment: id }),
    ]);
  });

  it('a photo sent when asked to describe is the case photo; words typed at the photo step are the description', async () => {
    for (const orderNo of ['AT-2', 'AT-3']) {
      const order = await t.admin('POST', '/api/orders', {
        orderNo,
        customer: { channel: 'webchat', externalId: `v-${orderNo}` },
        items: [{ sku: 'CUP', name: '杯子', qty: 1, price: 3900 }],
        total: 3900,
        status: 'delivered',
      });
      expect(order.status).toBe(200);
    }
    const say = (visitorId: string, payload: Record<string, unknown>) =>
      t.app.http.inject({
        method: 'POST',
        url: '/api/webchat/messages',
        headers: { 'x-visitor-secret': secretOf(visitorId) },
        payload: { visitorId, ...payload },
      });
    const caseOf = async (reply: { json: () => unknown }) => {
      const caseNo = /[A-Z]{2}\d{8}-\d{4}/.exec(JSON.stringify(reply.json()))?.[0] ?? '';
      expect(caseNo).not.toBe('');
      return (await t.admin('GET', `/api/cases/${caseNo}`)).body;
    };

    // A customer who answers "describe it" with the photo: the photo is kept and the case is filed
    // (not asked for a photo again, which the customer would read as the first one being lost).
    await say('v-AT-2', { text: '我要退货' });
    await say('v-AT-2', { action: 'aftersale:reason:quality', text: '质量问题' });
    const id = (await upload('v-AT-2', PNG)).body.id ?? '';
    const filed = await caseOf(await say('v-AT-2', { attachments: [id] }));
    expect(filed).toMatchObject({ photoRef: `attachment:${id}`, description: null });

    // Words typed at the photo step describe the problem; they are not a photo reference.
    await say('v-AT-3', { text: '我要退货' });
    await say('v-AT-3', { action: 'aftersale:reason:quality', text: '质量问题' });
    await say('v-AT-3', { text: '杯子有裂缝' });
    const described = await caseOf(await say('v-AT-3', { text: '杯口也缺了一块' }));
    expect(described).toMatchObject({ photoRef: null, description: '杯子有裂缝\n杯口也缺了一块' });
  });

  it('an agent sees a photo only of a customer in their scope (404 otherwise); an admin always', async () => {
    const id = (await upload('v-scope', PNG)).body.id ?? '';
    await addStaff(t, 'ada');
    const login = await t.app.http.inject({
      method: 'POST',
      url: '/api/console/login',
      payload: { username: 'ada', password: 'ada-password' },
    });
    const token = login.json<{ token: string }>().token;
    const asAgent = () =>
      t.app.http.inject({
        method: 'GET',
        url: `/api/attachments/${id}`,
        headers: { authorization: `Bearer ${token}` },
      });
    // No conversation of this visitor is waiting for or assigned to the agent.
    expect((await asAgent()).statusCode).toBe(404);
    expect(
      (
        await t.app.http.inject({
          method: 'GET',
          url: `/api/attachments/${id}`,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
      ).statusCode,
    ).toBe(200);
    // The customer asks for a person: the chat waits in the queue, so the agent may see it.
    const handOff = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      headers: { 'x-visitor-secret': secretOf('v-scope') },
      payload: { visitorId: 'v-scope', text: '人工' },
    });
    expect(handOff.statusCode).toBe(200);
    const allowed = await asAgent();
    expect(allowed.statusCode).toBe(200);
    expect(allowed.rawPayload.equals(PNG)).toBe(true);
  });

  it('an upload binds the visitor secret like a first message; another secret can neither upload nor read', async () => {
    const uploaded = await upload('v-owner', PNG);
    expect(uploaded.status).toBe(201);
    const body = multipart(PNG, 'photo.png', 'image/png');
    const intruder = { 'x-visitor-secret': 'someone-elses-secret-123' };
    const upload2 = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/v-owner/attachments',
      headers: { ...body.headers, ...intruder },
      payload: body.payload,
    });
    expect(upload2.statusCode).toBe(401);
    const readBack = await t.app.http.inject({
      method: 'GET',
      url: `/api/webchat/v-owner/attachments/${uploaded.body.id ?? ''}`,
      headers: intruder,
    });
    expect(readBack.statusCode).toBe(401);
    // The visitor's own first message must now carry that same secret.
    const message = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      headers: intruder,
      payload: { visitorId: 'v-owner', text: '你好' },
    });
    expect(message.statusCode).toBe(401);
  });

  it('refuses what is not an accepted image (by content), what is too large, and uploads without a secret', async () => {
    const text = await upload('v-bad', Buffer.from('not an image at all, just text'), 'photo.png', 'image/png');
    expect([text.status, text.body.error?.code]).toEqual([400, 'invalid_request']);
    const pdf = await upload(
      'v-bad',
      Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'),
      'a.pdf',
      'application/pdf',
    );
    expect(pdf.status).toBe(400);
    const big = await upload('v-bad', Buffer.concat([PNG, Buffer.alloc(20_000)]));
    expect([big.status, big.body.error?.code]).toEqual([413, 'payload_too_large']);

    const body = multipart(PNG, 'photo.png', 'image/png');
    const anonymous = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/v-bad/attachments',
      headers: body.headers,
      payload: body.payload,
    });
    expect(anonymous.statusCode).toBe(401);
    const json = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/v-bad/attachments',
      headers: { 'x-visitor-secret': secretOf('v-bad') },
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(400);
  });
});
