// The console's desk API as the app uses it: the queue's filters, search, unread counts and resolved
// history; reopen; delivery states (held by quiet hours); transfer with a note; notes reaching the
// profile; the staff member's language; the profile's shape; and no credential accepted from a URL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationResponse, MeResponse, QueueResponse } from '../../src/http/schemas/console.ts';
import { CustomerProfile } from '../../src/http/schemas/customers.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('console desk API', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider });
    await addStaff(t, 'alice');
    await addStaff(t, 'bruce');
  });
  afterEach(async () => {
    await t.close();
  });

  const queue = async (as: Awaited<ReturnType<typeof loginAs>>, query = '') =>
    QueueResponse.parse((await as('GET', `/api/console/queue${query}`)).body).conversations;

  it('filters and searches the queue, counts unanswered messages, and keeps the resolved history', async () => {
    const alice = await loginAs(t, 'alice');
    const first = await t.say('v-one', '人工', { name: '王小明' });
    await t.say('v-one', '在吗？');
    const second = await t.say('v-two', '人工', { name: 'Lucy' });
    const one = first.conversation?.id ?? 0;
    const two = second.conversation?.id ?? 0;

    const waiting = await queue(alice);
    expect(waiting.map((c) => c.id).sort()).toEqual([one, two].sort());
    const item = waiting.find((c) => c.id === one);
    expect(item).toMatchObject({ status: 'pending', unread: 2, lastMessage: { from: 'customer', text: '在吗？' } });
    expect(item?.customer.name).toBe('王小明');

    expect((await queue(alice, `?q=${encodeURIComponent('王小明')}`)).map((c) => c.id)).toEqual([one]);
    expect((await queue(alice, `?q=%23${two}`)).map((c) => c.id)).toEqual([two]);
    expect(await queue(alice, '?channel=telegram')).toEqual([]);

    await alice('POST', `/api/console/conversations/${one}/take`);
    expect((await queue(alice, '?assignee=me')).map((c) => c.id)).toEqual([one]);
    expect((await queue(alice, '?assignee=unassigned')).map((c) => c.id)).toEqual([two]);
    expect((await queue(alice, '?status=open')).map((c) => c.id)).toEqual([one]);

    const customer = item?.customer.id ?? 0;
    await t.admin('POST', `/api/customers/${customer}/tags`, { tag: 'VIP' });
    expect((await queue(alice, '?tag=VIP')).map((c) => c.id)).toEqual([one]);

    await alice('POST', `/api/console/conversations/${one}/reply`, { text: '您好，在的' });
    expect((await queue(alice, '?assignee=me'))[0]).toMatchObject({ unread: 0, lastMessage: { from: 'staff' } });

    await alice('POST', `/api/console/conversations/${one}/resolve`);
    expect((await queue(alice)).map((c) => c.id)).toEqual([two]);
    const history = await queue(alice, '?view=resolved');
    expect(history.map((c) => c.id)).toEqual([one]);
    expect(history[0]?.resolvedAt).toBeInstanceOf(Date);

    const bad = await alice('GET', '/api/console/queue?view=everything');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('reopens a resolved conversation, or takes the newer one the customer started since', async () => {
    const alice = await loginAs(t, 'alice');
    const id = (await t.say('v-re', '人工')).conversation?.id ?? 0;
    await alice('POST', `/api/console/conversations/${id}/take`);
    await alice('POST', `/api/console/conversations/${id}/resolve`);

    const reopened = await alice('POST', `/api/console/conversations/${id}/reopen`);
    expect(reopened.body).toMatchObject({ conversation: { id, status: 'open' } });
    expect((await t.app.store.repos.conversations.get(id))?.assigneeId).toBe(
      (await t.app.store.repos.staff.byUsername('alice'))?.id,
    );
    // While it is open again, the customer's messages land in it (it holds the chat's live slot).
    expect((await t.say('v-re', '谢谢')).conversation?.id).toBe(id);
    expect((await alice('POST', `/api/console/conversations/${id}/reopen`)).status).toBe(409);

    await alice('POST', `/api/console/conversations/${id}/resolve`);
    const newer = (await t.say('v-re', '还有一个问题')).conversation?.id ?? 0;
    expect(newer).not.toBe(id);
    const continued = await alice('POST', `/api/console/conversations/${id}/reopen`);
    expect(continued.body).toMatchObject({ conversation: { id: newer, status: 'open' } });
    expect((await t.app.store.repos.conversations.get(id))?.status).toBe('resolved');
  });

  it('hands a conversation over with a note the receiver sees; the note also lands in the profile', async () => {
    const alice = await loginAs(t, 'alice');
    const bruce = await loginAs(t, 'bruce');
    const bruceId = (await t.app.store.repos.staff.byUsername('bruce'))?.id ?? 0;
    const id = (await t.say('v-tr', '人工')).conversation?.id ?? 0;
    await alice('POST', `/api/console/conversations/${id}/take`);
    const notices: unknown[] = [];
    const off = t.app.events.on('desk', (event) => notices.push(event));
    const moved = await alice('POST', `/api/console/conversations/${id}/transfer`, {
      staffId: bruceId,
      note: '客户要换货，已查过库存',
    });
    off();
    expect(moved.body).toMatchObject({ conversation: { id, status: 'open', assigneeId: bruceId } });
    expect(notices).toContainEqual(
      expect.objectContaining({ type: 'transfer', conversationId: id, staffId: bruceId, byName: 'ALICE' }),
    );
    // Alice no longer sees it, and the error says so once.
    const gone = await alice('GET', `/api/console/conversations/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ error: { message: `conversation ${id} not found` } });

    const view = ConversationResponse.parse((await bruce('GET', `/api/console/conversations/${id}`)).body);
    expect(view.messages.find((m) => m.from === 'note')).toMatchObject({
      text: '客户要换货，已查过库存',
      staffName: 'ALICE',
    });
    const customerId = view.conversation.customer.id;
    await bruce('POST', `/api/console/conversations/${id}/notes`, { text: '已寄出换货' });
    const raw = await bruce('GET', `/api/customers/${customerId}`);
    expect(raw.status, JSON.stringify(raw.body)).toBe(200);
    const profile = CustomerProfile.parse(raw.body);
    expect(profile.notes.map((n) => n.text)).toEqual(['已寄出换货', '客户要换货，已查过库存']);
    expect(profile.notes[0]?.staffName).toBe('BRUCE');
  });

  it('shows where each reply is: sent, or waiting', async () => {
    const alice = await loginAs(t, 'alice');
    const id = (await t.say('v-dl', '人工')).conversation?.id ?? 0;
    await alice('POST', `/api/console/conversations/${id}/reply`, { text: '马上为您查询' });
    const before = ConversationResponse.parse((await alice('GET', `/api/console/conversations/${id}`)).body);
    const reply = before.messages.find((m) => m.text === '马上为您查询');
    // Written to the outbox before it is sent: the console can show its state from the start.
    expect(reply).toMatchObject({ from: 'staff', staffName: 'ALICE', delivery: { heldBy: null, heldUntil: null } });
    await t.app.sender.drainChannel('webchat');
    const after = ConversationResponse.parse((await alice('GET', `/api/console/conversations/${id}`)).body);
    expect(after.messages.find((m) => m.text === '马上为您查询')?.delivery).toMatchObject({ status: 'sent' });
    const event = after.messages.find((m) => m.event?.type === 'conversation.take');
    expect(event).toMatchObject({ from: 'system', event: { assigneeName: 'ALICE' } });
  });

  it('keeps each staff member’s language and tells the console the shop’s time zone', async () => {
    const alice = await loginAs(t, 'alice');
    const me = MeResponse.parse((await alice('GET', '/api/console/me')).body);
    expect(me).toMatchObject({ staff: { username: 'alice', locale: null }, shop: { timezone: 'Asia/Shanghai' } });
    const changed = MeResponse.parse((await alice('PATCH', '/api/console/me', { locale: 'en' })).body);
    expect(changed.staff.locale).toBe('en');
    expect((await alice('PATCH', '/api/console/me', { locale: 'fr' })).status).toBe(400);
    expect((await t.admin('PATCH', '/api/console/me', { locale: 'en' })).status).toBe(400);
  });

  it('never takes a credential from a URL', async () => {
    const login = await t.app.http.inject({
      method: 'POST',
      url: '/api/console/login',
      payload: { username: 'alice', password: 'alice-password' },
    });
    const { token } = login.json<{ token: string }>();
    const res = await t.app.http.inject({
      method: 'GET',
      url: `/api/console/queue?token=${token}`,
      headers: { accept: 'text/event-stream' },
    });
    expect(res.statusCode).toBe(401);
    const events = await t.app.http.inject({
      method: 'GET',
      url: `/api/console/events?token=${token}`,
      headers: { accept: 'text/event-stream' },
    });
    expect(events.statusCode).toBe(401);
  });
});

describe('delivery held by quiet hours', () => {
  let t: TestApp;
  beforeEach(async () => {
    // 23:00 in Shanghai, quiet from 22:00 to 08:00.
    const { ManualClock } = await import('../../src/kernel/clock.ts');
    t = await createTestApp({ env: { QUIET_HOURS: '22:00-08:00' }, clock: new ManualClock('2026-03-02T15:00:00Z') });
    await addStaff(t, 'alice');
  });
  afterEach(async () => {
    await t.close();
  });

  it('says a closing notice waits for 08:00 while the staff reply itself goes out', async () => {
    const alice = await loginAs(t, 'alice');
    const id = (await t.say('v-night', '人工')).conversation?.id ?? 0;
    await alice('POST', `/api/console/conversations/${id}/reply`, { text: '晚上好' });
    await alice('POST', `/api/console/conversations/${id}/resolve`);
    await t.app.sender.drainChannel('webchat');
    const view = ConversationResponse.parse((await alice('GET', `/api/console/conversations/${id}`)).body);
    expect(view.messages.find((m) => m.text === '晚上好')?.delivery).toMatchObject({ status: 'sent' });
    const notice = view.messages.filter((m) => m.from === 'bot').at(-1);
    expect(notice?.delivery).toMatchObject({
      status: 'queued',
      heldBy: 'quiet_hours',
      heldUntil: new Date('2026-03-03T00:00:00Z'),
    });
  });
});
