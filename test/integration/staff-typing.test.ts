// Staff typing (issue 16): while the agent holding a webchat conversation types in the console, the
// visitor's stream says so (`event: typing`, with the agent's display name), on this instance and,
// on PostgreSQL, on another instance sharing the database. Only the holder may send it; it reaches no
// other visitor and writes nothing (no interaction, audit or outbox row). Through the HTTP routes,
// on both databases.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp, visitorHeaders, visitorSecret } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

/** A visitor's live stream as the widget opens it (ticket, then EventSource-style GET), read as text. */
async function openStream(t: TestApp, base: string, visitorId: string) {
  const issued = await t.app.http.inject({
    method: 'POST',
    url: `/api/webchat/${visitorId}/stream-ticket`,
    headers: visitorHeaders(visitorId),
  });
  const { ticket } = issued.json<{ ticket: string }>();
  const controller = new AbortController();
  const response = await fetch(`${base}/api/webchat/${visitorId}/stream?ticket=${ticket}`, {
    signal: controller.signal,
  });
  const stream = { text: '', close: () => controller.abort() };
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined);
      if (!chunk || chunk.done) return;
      stream.text += decoder.decode(chunk.value, { stream: true });
    }
  })();
  // The stream is open once its first bytes arrived.
  await expect.poll(() => stream.text, { timeout: 10_000 }).toContain(': connected');
  return stream;
}

/** The typing events a stream carried, parsed. */
function typingEvents(text: string): Array<{ typing: boolean; staffName: string }> {
  return [...text.matchAll(/^event: typing\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1] ?? 'null'));
}

describeEachProvider('staff typing indicator', (provider) => {
  let t: TestApp;
  let base = '';
  let conversationId = 0;
  beforeAll(async () => {
    t = await createTestApp({ provider });
    await addStaff(t, 'alice');
    await addStaff(t, 'bruce');
    await addStaff(t, 'boss', { role: 'admin' });
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const asked = await t.say('v-typing', '人工');
    conversationId = asked.conversation?.id ?? 0;
    await t.say('v-bystander', '你好');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Rows the signal must never write. */
  const written = async () => {
    const outbox = await t.app.store.repos.outbox.countByStatus();
    return {
      interactions: await t.app.store.repos.interactions.count(),
      audit: (await t.app.store.repos.audit.recent(10_000)).length,
      outbox: outbox.reduce((sum, row) => sum + row.count, 0),
    };
  };

  it('a waiting conversation has nobody answering it: 409, and no signal', async () => {
    const alice = await loginAs(t, 'alice');
    const res = await alice('POST', `/api/console/conversations/${conversationId}/typing`, { typing: true });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'conflict' } });
  });

  it('the holder typing reaches that visitor live with their display name, and nobody else; nothing is written', async () => {
    const alice = await loginAs(t, 'alice');
    expect((await alice('POST', `/api/console/conversations/${conversationId}/take`)).status).toBe(200);
    const mine = await openStream(t, base, 'v-typing');
    const other = await openStream(t, base, 'v-bystander');
    const before = await written();

    const started = await alice('POST', `/api/console/conversations/${conversationId}/typing`, { typing: true });
    expect(started).toEqual({ status: 200, body: { ok: true } });
    await expect
      .poll(() => typingEvents(mine.text), { timeout: 10_000 })
      .toEqual([{ typing: true, staffName: 'ALICE' }]);
    await alice('POST', `/api/console/conversations/${conversationId}/typing`, { typing: false });
    await expect
      .poll(() => typingEvents(mine.text), { timeout: 10_000 })
      .toEqual([
        { typing: true, staffName: 'ALICE' },
        { typing: false, staffName: 'ALICE' },
      ]);

    // The reply itself still arrives as a message after the signal.
    await alice('POST', `/api/console/conversations/${conversationId}/reply`, { text: '您好，我来帮您看看' });
    await expect.poll(() => mine.text, { timeout: 10_000 }).toContain('您好，我来帮您看看');
    expect(typingEvents(other.text)).toEqual([]);
    expect(other.text).not.toContain('ALICE');
    mine.close();
    other.close();

    // The reply wrote its rows; the two signals wrote none (one interaction, one audit, one outbox row: the reply's).
    const after = await written();
    expect(after).toEqual({
      interactions: before.interactions + 1,
      audit: before.audit + 1,
      outbox: before.outbox + 1,
    });
  });

  it('only the holder may send it: another agent 404 (outside their scope), an admin looking on 403, no staff account 403, a visitor 401', async () => {
    const url = `/api/console/conversations/${conversationId}/typing`;
    const bruce = await loginAs(t, 'bruce');
    expect((await bruce('POST', url, { typing: true })).status).toBe(404);
    const boss = await loginAs(t, 'boss');
    const watching = await boss('POST', url, { typing: true });
    expect(watching.status).toBe(403);
    expect(watching.body).toMatchObject({ error: { code: 'forbidden' } });
    // A stop from someone who is not answering changes nothing and is no error.
    expect(await boss('POST', url, { typing: false })).toEqual({ status: 200, body: { ok: true } });
    const token = await t.app.http.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { typing: true },
    });
    expect(token.statusCode).toBe(403);
    // A visitor has no console credential: neither nothing nor their own secret opens the route.
    for (const headers of [visitorHeaders('v-typing'), { authorization: `Bearer ${visitorSecret('v-typing')}` }]) {
      const res = await t.app.http.inject({ method: 'POST', url, headers, payload: { typing: true } });
      expect(res.statusCode).toBe(401);
    }
  });

  it('bad input is 400 with a message', async () => {
    const alice = await loginAs(t, 'alice');
    const url = `/api/console/conversations/${conversationId}/typing`;
    for (const body of [{}, { typing: 'yes' }, { typing: true, text: 'x' }]) {
      const res = await alice('POST', url, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid_request' } });
    }
    expect((await alice('POST', '/api/console/conversations/abc/typing', { typing: true })).status).toBe(400);
  });

  it.runIf(provider === 'postgresql')(
    'reaches the visitor whose stream is connected to another instance (the event relay)',
    async () => {
      const other = await createTestApp({ provider, database: t.database, clock: t.clock });
      try {
        const otherBase = await other.app.http.listen({ port: 0, host: '127.0.0.1' });
        const stream = await openStream(other, otherBase, 'v-typing');
        const alice = await loginAs(t, 'alice');
        await alice('POST', `/api/console/conversations/${conversationId}/typing`, { typing: true });
        await expect
          .poll(() => typingEvents(stream.text), { timeout: 10_000 })
          .toEqual([{ typing: true, staffName: 'ALICE' }]);
        stream.close();
      } finally {
        await other.close();
      }
    },
  );

  it('a resolved conversation: starting is 409 (nobody is answering it), a late stop is accepted and sends nothing', async () => {
    const alice = await loginAs(t, 'alice');
    const stream = await openStream(t, base, 'v-typing');
    expect((await alice('POST', `/api/console/conversations/${conversationId}/resolve`)).status).toBe(200);
    const url = `/api/console/conversations/${conversationId}/typing`;
    const started = await alice('POST', url, { typing: true });
    expect(started.status).toBe(409);
    expect(started.body).toMatchObject({ error: { code: 'conflict' } });
    // The stop of a reply box that was open when the conversation was resolved.
    expect(await alice('POST', url, { typing: false })).toEqual({ status: 200, body: { ok: true } });
    await expect.poll(() => stream.text, { timeout: 10_000 }).toContain('本次人工服务已结束');
    expect(typingEvents(stream.text)).toEqual([]);
    stream.close();
  });
});
