import { expect, it } from 'vitest';
import { EventBus } from '../../src/kernel/events.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { storePerTest } from '../helpers/store.ts';

describeEachProvider('repositories', (provider) => {
  const fresh = storePerTest(provider);
  const at = new Date('2026-03-02T04:00:00Z');

  it('creates one customer per identity even when first contacts race', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        fresh.store.repos.customers.createWithIdentity({
          channel: 'wechat',
          externalId: 'wx-1',
          displayName: '阿花',
          at,
        }),
      ),
    );
    expect(new Set(results.map((r) => r.identity.customerId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('keeps one live conversation per customer and chat, and opens a new one after resolution', async () => {
    const { identity } = await fresh.store.repos.customers.createWithIdentity({
      channel: 'telegram',
      externalId: 't-1',
      at,
    });
    const chat = await fresh.store.repos.chats.ensure({ channel: 'telegram', externalId: 't-1', kind: 'private' });
    const opened = await Promise.all(
      Array.from({ length: 5 }, () => fresh.store.repos.conversations.openOrGet(identity.customerId, chat.id, at)),
    );
    expect(new Set(opened.map((o) => o.conversation.id)).size).toBe(1);
    const first = opened[0]?.conversation.id ?? -1;
    expect(await fresh.store.repos.conversations.transition(first, ['bot'], { status: 'resolved' })).not.toBeNull();
    expect(await fresh.store.repos.conversations.transition(first, ['bot'], { status: 'resolved' })).toBeNull();
    const next = await fresh.store.repos.conversations.openOrGet(identity.customerId, chat.id, at);
    expect(next.opened).toBe(true);
    expect(next.conversation.id).not.toBe(first);
  });

  it('claims an inbound message id once', async () => {
    expect(await fresh.store.repos.processed.claim('telegram', 'u-1', at)).toBe(true);
    expect(await fresh.store.repos.processed.claim('telegram', 'u-1', at)).toBe(false);
    expect(await fresh.store.repos.processed.claim('wechat', 'u-1', at)).toBe(true);
  });

  it('rolls back a failed transaction completely, also for queries made through store.repos inside it', async () => {
    const { identity } = await fresh.store.repos.customers.createWithIdentity({
      channel: 'webchat',
      externalId: 'w-1',
      at,
    });
    await expect(
      fresh.store.transaction(async (repos) => {
        await repos.customers.addTag(identity.customerId, 'inside', 'staff', at);
        await fresh.store.repos.customers.addTag(identity.customerId, 'ambient', 'staff', at);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await fresh.store.repos.customers.tags(identity.customerId)).toEqual([]);
  });

  it('derives cached totals from orders and the points ledger', async () => {
    const { identity } = await fresh.store.repos.customers.createWithIdentity({
      channel: 'webchat',
      externalId: 'w-2',
      at,
    });
    const customerId = identity.customerId;
    await fresh.store.repos.orders.create(
      {
        orderNo: 'R-1',
        customerId,
        status: 'completed',
        total: 5000,
        placedAt: at,
        items: [{ sku: 'A', name: 'a', qty: 1, price: 5000 }],
      },
      at,
    );
    await fresh.store.repos.orders.create(
      {
        orderNo: 'R-2',
        customerId,
        status: 'cancelled',
        total: 9000,
        placedAt: at,
        items: [{ sku: 'B', name: 'b', qty: 1, price: 9000 }],
      },
      at,
    );
    const customer = await fresh.store.repos.customers.refreshTotals(customerId);
    expect(customer).toMatchObject({ totalSpent: 5000, orderCount: 1, pointsBalance: 0 });
  });

  it('serves the hot reads (orders menu, points overview) exactly as the repositories read them', async () => {
    const { identity } = await fresh.store.repos.customers.createWithIdentity({
      channel: 'webchat',
      externalId: 'w-3',
      at,
    });
    const customerId = identity.customerId;
    for (const [index, orderNo] of ['H-1', 'H-2', 'H-3'].entries()) {
      const order = await fresh.store.repos.orders.create(
        {
          orderNo,
          customerId,
          status: 'paid',
          total: 1000 * (index + 1),
          placedAt: new Date(at.getTime() + index * 60_000),
          items: [
            { sku: `S-${index}`, name: '纯棉T恤 🧵', qty: 1, price: 600 },
            { sku: 'X', name: "it's", qty: 2, price: 200 * (index + 1) },
          ],
        },
        at,
      );
      await fresh.store.repos.orders.update(
        order.id,
        { status: 'shipped', carrier: '顺丰', trackingNo: `SF${index}` },
        at,
      );
    }
    expect(await fresh.store.reads.recentOrders(customerId, 2)).toEqual(
      await fresh.store.repos.orders.forCustomer(customerId, 2),
    );
    expect((await fresh.store.reads.recentOrders(customerId, 2)).map((o) => o.orderNo)).toEqual(['H-3', 'H-2']);
    expect(await fresh.store.reads.recentOrders(customerId + 999, 5)).toEqual([]);

    const entry = (key: string, amount: number, expiresAt: Date | null) =>
      fresh.store.repos.loyalty.insertEntry({
        customerId,
        amount,
        kind: 'earn',
        reason: 'test',
        idempotencyKey: key,
        expiresAt,
        at,
      });
    await entry('e-1', 100, new Date('2026-03-10T00:00:00Z'));
    await entry('e-2', 50, new Date('2026-03-05T00:00:00Z'));
    await entry('e-3', 70, new Date('2026-06-01T00:00:00Z'));
    await entry('e-4', 30, null);
    await fresh.store.repos.loyalty.setCachedBalance(customerId, 250);
    const before = new Date('2026-03-31T00:00:00Z');
    expect(await fresh.store.reads.expiringPoints(customerId, before)).toEqual({
      points: 150,
      at: new Date('2026-03-05T00:00:00Z'),
    });
    expect(await fresh.store.reads.expiringPoints(customerId, at)).toEqual({ points: 0, at: null });
    expect(await fresh.store.reads.pointsBalance(customerId)).toBe(250);
  });
});

describeEachProvider('events raised inside a transaction', (provider) => {
  const fresh = storePerTest(provider);

  it('reach listeners after the commit, outside the transaction, and never after a rollback', async () => {
    const events = new EventBus({ schedule: (deliver) => fresh.store.afterCommit(deliver) });
    const seen: Array<{ id: number; committed: boolean }> = [];
    events.on('conversation', (event) => {
      // Outside the transaction `store.repos` is the plain repositories again, so this read sees the commit.
      void fresh.store.repos.settings.get(`k${event.id}`).then((row) => {
        seen.push({ id: event.id, committed: row !== undefined });
      });
    });
    await fresh.store.transaction(async (repos) => {
      await repos.settings.set('k1', { v: 1 });
      events.emit('conversation', { id: 1, status: 'resolved', assigneeId: null });
      expect(seen).toEqual([]);
    });
    await expect(
      fresh.store.transaction(async (repos) => {
        await repos.settings.set('k2', { v: 2 });
        events.emit('conversation', { id: 2, status: 'resolved', assigneeId: null });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    events.emit('conversation', { id: 3, status: 'resolved', assigneeId: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.sort((a, b) => a.id - b.id).map((s) => [s.id, s.committed])).toEqual([
      [1, true],
      [3, false],
    ]);
  });
});
