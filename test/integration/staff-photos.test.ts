// Staff send a photo from the console (issues 16 and 18), through HTTP as the console does: the
// upload is checked like the widget's (type by content, UPLOAD_MAX_MB) and stored only for a
// conversation the caller may act on; a reply names only photos the caller uploaded for it; the
// visitor's thread shows the photo to that visitor only. Bad input writes nothing.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { telegramHarness } from '../contract/telegram-harness.ts';
import { ADMIN_TOKEN, createTestApp, type TestApp, visitorHeaders } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { multipartFile, PNG } from '../helpers/files.ts';
import { addStaff } from '../helpers/staff.ts';

/** Every file under the data folder's attachments (what an upload leaves on disk). */
async function storedFiles(dataDir: string): Promise<string[]> {
  const entries = await readdir(join(dataDir, 'attachments'), { recursive: true }).catch(() => []);
  return entries.filter((entry) => /\.\w+$/.test(entry));
}

describeEachProvider('staff photos', (provider) => {
  let t: TestApp;
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'guanxi-staff-photos-'));
    t = await createTestApp({ provider, env: { DATA_DIR: dataDir, UPLOAD_MAX_MB: '0.01' } });
  });
  afterEach(async () => {
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function session(username: string) {
    await addStaff(t, username);
    const login = await t.app.http.inject({
      method: 'POST',
      url: '/api/console/login',
      payload: { username, password: `${username}-password` },
    });
    const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
    return {
      upload: async (conversationId: number, bytes: Buffer, name = 'photo.png', mime = 'image/png') => {
        const response = await t.app.http.inject({
          method: 'POST',
          url: `/api/console/conversations/${conversationId}/attachments`,
          ...multipartFile(bytes, name, mime, headers),
        });
        return { status: response.statusCode, body: response.json<{ id?: string; error?: { message: string } }>() };
      },
      post: async (url: string, body: unknown = {}) => {
        const response = await t.app.http.inject({
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        return { status: response.statusCode, body: response.json<{ error?: { message: string } }>() };
      },
    };
  }

  /** A visitor asks for a person: a waiting conversation. */
  async function waiting(visitorId: string): Promise<number> {
    const said = await t.say(visitorId, '人工');
    const id = said.conversation?.id;
    if (!id) throw new Error('no conversation');
    return id;
  }

  const outboxRows = async (visitorId: string) => {
    await t.app.sender.drainChannel('webchat');
    return t.app.store.repos.outbox.forChat('webchat', visitorId, 0, 100);
  };

  it('a photo (alone or with text) reaches the visitor: thread, bytes to that visitor only, logged', async () => {
    const id = await waiting('v-shoe');
    const agent = await session('xiaoli');
    const first = await agent.upload(id, PNG, 'shoe.png');
    expect(first.status).toBe(201);
    const second = await agent.upload(id, PNG, 'box.png');
    const ids = [first.body.id ?? '', second.body.id ?? ''];
    // Replying to a waiting conversation takes it, as a text reply does.
    expect(
      (await agent.post(`/api/console/conversations/${id}/reply`, { text: '实拍图', attachments: ids })).status,
    ).toBe(200);
    const alone = await agent.upload(id, PNG, 'label.png');
    expect((await agent.post(`/api/console/conversations/${id}/reply`, { attachments: [alone.body.id] })).status).toBe(
      200,
    );
    await outboxRows('v-shoe');

    const thread = await t.thread('v-shoe');
    const fromStaff = thread.messages
      .filter((m) => m.from === 'staff')
      .map((m) => ({ text: m.text, photo: (m as { attachments?: Array<{ name?: string }> }).attachments?.[0]?.name }));
    // The text is the first photo's caption; each photo is a message of its own.
    expect(fromStaff).toEqual([
      { text: '实拍图', photo: 'shoe.png' },
      { text: '', photo: 'box.png' },
      { text: '', photo: 'label.png' },
    ]);
    const read = (visitorId: string, photoId: string) =>
      t.app.http.inject({
        method: 'GET',
        url: `/api/webchat/${visitorId}/attachments/${photoId}`,
        headers: visitorHeaders(visitorId),
      });
    const bytes = await read('v-shoe', ids[0] ?? '');
    expect(bytes.statusCode).toBe(200);
    expect(bytes.rawPayload.equals(PNG)).toBe(true);
    await t.say('v-other', '你好');
    expect((await read('v-other', ids[0] ?? '')).statusCode).toBe(404);
    // A staff photo is not the visitor's own upload: it cannot be sent back as theirs.
    const reuse = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      headers: visitorHeaders('v-shoe'),
      payload: { visitorId: 'v-shoe', text: 'look', attachments: [ids[0]] },
    });
    expect(reuse.statusCode).toBe(400);

    const customerId = (await t.app.store.repos.customers.findIdentity('webchat', 'v-shoe'))?.customerId ?? -1;
    const logged = (await t.app.store.repos.interactions.forCustomer(customerId, 100)).filter(
      (i) => i.kind === 'staff_reply',
    );
    expect(logged.map((i) => i.payload)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ attachments: [ids[0]] }),
        expect.objectContaining({ attachments: [ids[1]] }),
      ]),
    );
    // The customer's timeline (the profile the console shows) lists them too.
    const profile = await t.admin('GET', `/api/customers/${customerId}`);
    expect(JSON.stringify(profile.body)).toContain(ids[0]);
  });

  it('wrong type or size is refused with a message and nothing is stored', async () => {
    const id = await waiting('v-bad');
    const agent = await session('xiaowang');
    const text = await agent.upload(id, Buffer.from('not an image at all'), 'note.png', 'image/png');
    expect(text.status).toBe(400);
    expect(text.body.error?.message).toMatch(/JPEG, PNG, WebP or GIF/);
    const large = await agent.upload(id, Buffer.concat([PNG, Buffer.alloc(20_000)]), 'big.png');
    expect(large.status).toBe(413);
    expect(await storedFiles(dataDir)).toEqual([]);
    // A reply naming an id nobody uploaded: 400, nothing queued, the conversation untouched.
    const unknown = await agent.post(`/api/console/conversations/${id}/reply`, { text: '看图', attachments: ['nope'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.message).toMatch(/attachment/);
    expect((await outboxRows('v-bad')).filter((row) => row.purpose === 'staff')).toEqual([]);
    expect((await t.app.store.repos.conversations.get(id))?.status).toBe('pending');
    // Neither text nor photo.
    expect((await agent.post(`/api/console/conversations/${id}/reply`, { attachments: [] })).status).toBe(400);
  });

  it("another agent's conversation: no upload, and no sending a photo uploaded elsewhere", async () => {
    const mine = await waiting('v-mine');
    const other = await waiting('v-theirs');
    const owner = await session('owner');
    const intruder = await session('intruder');
    expect((await owner.post(`/api/console/conversations/${other}/take`)).status).toBe(200);
    // Agents do not see another agent's open conversation: 404, nothing stored.
    expect((await intruder.upload(other, PNG)).status).toBe(404);
    expect(await storedFiles(dataDir)).toEqual([]);
    // A photo uploaded for one conversation cannot be sent into another, nor by someone else.
    const photo = await owner.upload(other, PNG);
    expect(photo.status).toBe(201);
    const elsewhere = await owner.post(`/api/console/conversations/${mine}/reply`, { attachments: [photo.body.id] });
    expect(elsewhere.status).toBe(400);
    const admin = await t.app.http.inject({
      method: 'POST',
      url: `/api/console/conversations/${other}/reply`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ attachments: [photo.body.id] }),
    });
    expect(admin.statusCode).toBe(400);
    expect((await outboxRows('v-mine')).filter((row) => row.purpose === 'staff')).toEqual([]);
    expect((await outboxRows('v-theirs')).filter((row) => row.purpose === 'staff')).toEqual([]);
  });
});

describeEachProvider('staff photos on Telegram', (provider) => {
  it('a sendPhoto refused with 429 is retried once later: the photo arrives exactly once; a long text follows its photo', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'guanxi-tg-photos-'));
    const h = await telegramHarness(provider, 'grammy', { DATA_DIR: dataDir });
    try {
      await h.message({ user: 1, text: '人工' });
      await h.flush();
      const test = h.test;
      const staff = await addStaff(test, 'tgagent');
      const conversation = (await test.app.store.repos.conversations.findLive(
        (await test.app.store.repos.customers.findIdentity('telegram', h.senderId(1)))?.customerId ?? -1,
        (await test.app.store.repos.chats.find('telegram', h.privateChatId(1)))?.id ?? -1,
      )) ?? { id: -1 };
      const login = await test.app.http.inject({
        method: 'POST',
        url: '/api/console/login',
        payload: { username: staff.username, password: 'tgagent-password' },
      });
      const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
      const upload = await test.app.http.inject({
        method: 'POST',
        url: `/api/console/conversations/${conversation.id}/attachments`,
        ...multipartFile(PNG, 'shoe.png', 'image/png', headers),
      });
      h.fake.failNext('sendPhoto', {
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        retry_after: 1,
      });
      const reply = await test.app.http.inject({
        method: 'POST',
        url: `/api/console/conversations/${conversation.id}/reply`,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: JSON.stringify({ text: '实拍图', attachments: [upload.json<{ id: string }>().id] }),
      });
      expect(reply.statusCode).toBe(200);
      const out = await h.flush();
      expect(h.fake.calls.filter((c) => c.method === 'sendPhoto')).toHaveLength(2);
      expect(out.filter((m) => m.photo)).toEqual([
        expect.objectContaining({ chatId: h.privateChatId(1), text: '实拍图', photo: PNG }),
      ]);
      expect(await h.flush()).toEqual([]);

      // Text longer than a caption (1,024): the photo goes without one, the text follows it.
      const second = await test.app.http.inject({
        method: 'POST',
        url: `/api/console/conversations/${conversation.id}/attachments`,
        ...multipartFile(PNG, 'size.png', 'image/png', headers),
      });
      const long = '尺码说明'.repeat(300);
      const longReply = await test.app.http.inject({
        method: 'POST',
        url: `/api/console/conversations/${conversation.id}/reply`,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: JSON.stringify({ text: long, attachments: [second.json<{ id: string }>().id] }),
      });
      expect(longReply.statusCode).toBe(200);
      const split = await h.flush();
      expect(split.map((m) => ({ text: m.text, photo: Boolean(m.photo) }))).toEqual([
        { text: '', photo: true },
        { text: long, photo: false },
      ]);
    } finally {
      await h.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
