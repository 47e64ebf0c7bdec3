// One behaviour suite for the hot-path store (PipelineStore, OutboxQueue, HotReads), run on SQLite
// (sqlite-fast/) and on PostgreSQL (pg-fast/): the two implementations must write the same rows at
// the same (caller-given) times and return the same shapes.
import { expect, it } from 'vitest';
import type { InboundRecord, ReceivedMessage } from '../../src/db/pipeline-store.ts';
import { openStore, type Store } from '../../src/db/store.ts';
import type { ChannelName } from '../../src/domain/channels.ts';
import type { OutboxPurpose } from '../../src/domain/outbox.ts';
import { createTestDatabase, describeEachProvider } from '../helpers/databases.ts';
import { type PlainRow, tableRows } from '../helpers/rows.ts';
import { storePerTest } from '../helpers/store.ts';

const T0 = new Date('2026-03-02T04:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function inbound(messageId: string, overrides: Partial<InboundRecord> = {}): InboundRecord {
  return {
    channel: 'telegram',
    messageId,
    at: T0,
    chat: { externalId: 'u-1', kind: 'private' },
    sender: { externalId: 'u-1', name: 'Ann' },
    addressed: true,
    interaction: { kind: 'message', text: `text ${messageId}`, payload: { messageId } },
    ...overrides,
  };
}

describeEachProvider('hot-path store', (provider) => {
  const fresh = storePerTest(provider);

  const rowsOf = (table: string, orderBy = '"id"') => tableRows(fresh.db.database, table, orderBy);

  it('receive: a first message creates customer, identity, chat and a bot conversation at its time, and logs it', async () => {
    const received = await fresh.store.pipeline.receive(inbound('m1'));
    expect(received).not.toBeNull();
    expect(received?.customer).toMatchObject({ name: 'Ann', firstSeenAt: T0, lastSeenAt: T0, createdAt: T0 });
    expect(received?.identity).toMatchObject({ channel: 'telegram', externalId: 'u-1', displayName: 'Ann' });
    expect(received?.chat).toMatchObject({ channel: 'telegram', externalId: 'u-1', kind: 'private', createdAt: T0 });
    expect(received?.conversation).toMatchObject({
      status: 'bot',
      lastInboundAt: T0,
      activeKey: `${received?.customer.id}:${received?.chat.id}`,
    });
    const [logged] = await rowsOf('Interaction');
    expect(logged).toMatchObject({
      id: received?.interactionId,
      direction: 'in',
      kind: 'message',
      text: 'text m1',
      payload: '{"messageId":"m1"}',
      createdAt: T0.toISOString(),
    });
    expect(await rowsOf('ProcessedMessage', '"messageId"')).toEqual([
      { channel: 'telegram', messageId: 'm1', conversationId: received?.conversation.id, createdAt: T0.toISOString() },
    ]);
  });

  it('receive: a replayed message id returns null and writes nothing', async () => {
    await fresh.store.pipeline.receive(inbound('m1'));
    expect(await fresh.store.pipeline.receive(inbound('m1', { at: at(5) }))).toBeNull();
    expect(await rowsOf('Interaction')).toHaveLength(1);
    expect(await rowsOf('Customer')).toHaveLength(1);
  });

  it('receive: returns the identity and customer as updated (rename, last seen after a minute)', async () => {
    await fresh.store.pipeline.receive(inbound('m1'));
    const soon = await fresh.store.pipeline.receive(inbound('m2', { at: at(30) }));
    expect(soon?.identity.lastSeenAt).toEqual(T0);
    const renamed = await fresh.store.pipeline.receive(
      inbound('m3', { at: at(40), sender: { externalId: 'u-1', name: 'Anna' } }),
    );
    expect(renamed?.identity).toMatchObject({ displayName: 'Anna', lastSeenAt: at(40) });
    const later = await fresh.store.pipeline.receive(
      inbound('m4', { at: at(200), sender: { externalId: 'u-1', name: 'Anna' } }),
    );
    expect(later?.identity).toMatchObject({ displayName: 'Anna', lastSeenAt: at(200) });
    const [customer] = await rowsOf('Customer');
    expect(customer).toMatchObject({ lastSeenAt: at(200).toISOString(), updatedAt: at(200).toISOString() });
  });

  it('receive: a group message adds the member; unaddressed, it leaves lastInboundAt alone', async () => {
    const group = { externalId: 'g-1', kind: 'group' as const, title: 'Fans' };
    const first = await fresh.store.pipeline.receive(inbound('g1', { chat: group, addressed: true }));
    const quiet = await fresh.store.pipeline.receive(inbound('g2', { chat: group, addressed: false, at: at(10) }));
    expect(quiet?.conversation.id).toBe(first?.conversation.id);
    expect(quiet?.conversation.lastInboundAt).toEqual(T0);
    const retitled = await fresh.store.pipeline.receive(
      inbound('g3', { chat: { ...group, title: 'Fans 2' }, at: at(20) }),
    );
    expect(retitled?.chat.title).toBe('Fans 2');
    expect(await rowsOf('ChatMember', '"chatId"')).toEqual([
      { chatId: first?.chat.id, customerId: first?.customer.id, joinedAt: T0.toISOString() },
    ]);
  });

  it('receive: a known sender whose customer was merged is received as the surviving customer', async () => {
    const first = await fresh.store.pipeline.receive(inbound('m1'));
    const survivor = await fresh.store.repos.customers.create({ name: 'Ann (main)', at: T0 });
    await fresh.store.repos.customers.markMerged(first?.customer.id ?? 0, survivor.id, null);
    const next = await fresh.store.pipeline.receive(inbound('m2', { at: at(10) }));
    expect(next?.customer.id).toBe(survivor.id);
    expect(next?.conversation.activeKey).toBe(`${survivor.id}:${first?.chat.id}`);
    const logged = await rowsOf('Interaction');
    expect(logged.map((row) => row.customerId)).toEqual([first?.customer.id, survivor.id]);
    // A replay of either message stays a replay.
    expect(await fresh.store.pipeline.receive(inbound('m1', { at: at(20) }))).toBeNull();
    expect(await fresh.store.pipeline.receive(inbound('m2', { at: at(20) }))).toBeNull();
  });

  it('concurrent first messages of one new sender give one customer, identity, chat and conversation', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => fresh.store.pipeline.receive(inbound(`c${i}`, { at: at(i) }))),
    );
    expect(new Set(results.map((r) => r?.customer.id)).size).toBe(1);
    expect(new Set(results.map((r) => r?.conversation.id)).size).toBe(1);
    expect(await rowsOf('Customer')).toHaveLength(1);
    expect(await rowsOf('Identity')).toHaveLength(1);
    expect(await rowsOf('Chat')).toHaveLength(1);
    expect(await rowsOf('Conversation')).toHaveLength(1);
    expect(await rowsOf('Interaction')).toHaveLength(8);
  });

  it('concurrent messages of one known sender at two instances are all received and committed, in one conversation', async () => {
    const other = await openStore(fresh.db.database, { migrate: false });
    try {
      const first = await fresh.store.pipeline.receive(inbound('k0'));
      const conversationId = first?.conversation.id ?? 0;
      const results = await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          const instance = i % 2 === 0 ? fresh.store : other;
          // Minutes apart, so each one touches identity and customer too.
          const received = await instance.pipeline.receive(inbound(`k${i + 1}`, { at: at(120 * (i + 1)) }));
          await instance.pipeline.commit({
            conversationId,
            at: at(120 * (i + 1)),
            flow: { name: 'menu', state: { turn: i } },
            failedTurns: 0,
            outbound: { outbox: [], interactions: [] },
            profile: {
              events: [],
              tags: [{ customerId: first?.customer.id ?? 0, tag: `t${i % 3}`, source: 'interest' }],
            },
          });
          return received;
        }),
      );
      expect(new Set(results.map((r) => r?.conversation.id))).toEqual(new Set([conversationId]));
      expect(await rowsOf('Interaction')).toHaveLength(17);
      expect(await rowsOf('ProcessedMessage', '"messageId"')).toHaveLength(17);
      expect(await rowsOf('CustomerTag', '"tag"')).toHaveLength(3);
    } finally {
      await other.close();
    }
  });

  it('receive: concurrent messages of several known senders (one batched receive on PostgreSQL) write the rows and return the results of receiving them one by one', async () => {
    const senders = ['a', 'b', 'c', 'd', 'e', 'f'];
    const group = { externalId: 'g-1', kind: 'group' as const, title: 'Fans' };
    /** Each sender's first message one by one, then one message each (a rename, a touch after a
     * minute, a group message, an unaddressed one, a retitle, a replay; two of "a", in order), all at
     * once or one by one; "m" has two identities of one customer (merged), received at once too. */
    const run = async (target: Store, together: boolean) => {
      for (const [i, name] of senders.entries()) {
        const chat = name === 'e' ? group : { externalId: `u-${name}`, kind: 'private' as const };
        await target.pipeline.receive(
          inbound(`first-${name}`, { at: at(i), chat, sender: { externalId: `u-${name}` } }),
        );
      }
      const survivor = await target.pipeline.receive(
        inbound('first-m1', { chat: { externalId: 'u-m', kind: 'private' }, sender: { externalId: 'u-m1' } }),
      );
      const merged = await target.pipeline.receive(
        inbound('first-m2', {
          channel: 'webchat',
          chat: { externalId: 'u-m', kind: 'private' },
          sender: { externalId: 'u-m2' },
        }),
      );
      await target.repos.customers.markMerged(merged?.customer.id ?? 0, survivor?.customer.id ?? 0, null);
      const messages = [
        inbound('a-1', {
          at: at(30),
          chat: { externalId: 'u-a', kind: 'private' },
          sender: { externalId: 'u-a', name: 'Ann' },
        }),
        inbound('b-1', { at: at(200), chat: { externalId: 'u-b', kind: 'private' }, sender: { externalId: 'u-b' } }),
        inbound('c-1', { at: at(40), chat: { externalId: 'u-c', kind: 'private' }, sender: { externalId: 'u-c' } }),
        inbound('d-1', {
          at: at(41),
          chat: { externalId: 'u-d', kind: 'private' },
          sender: { externalId: 'u-d' },
          addressed: false,
        }),
        inbound('e-1', { at: at(42), chat: { ...group, title: 'Fans 2' }, sender: { externalId: 'u-e' } }),
        inbound('first-f', { at: at(43), chat: { externalId: 'u-f', kind: 'private' }, sender: { externalId: 'u-f' } }),
        inbound('a-2', {
          at: at(300),
          chat: { externalId: 'u-a', kind: 'private' },
          sender: { externalId: 'u-a', name: 'Anna' },
        }),
        inbound('m1-1', { at: at(50), chat: { externalId: 'u-m', kind: 'private' }, sender: { externalId: 'u-m1' } }),
        inbound('m2-1', {
          at: at(51),
          channel: 'webchat',
          chat: { externalId: 'u-m', kind: 'private' },
          sender: { externalId: 'u-m2' },
        }),
        inbound('new-1', {
          at: at(52),
          chat: { externalId: 'u-new', kind: 'private' },
          sender: { externalId: 'u-new' },
        }),
      ];
      if (together) return Promise.all(messages.map((message) => target.pipeline.receive(message)));
      const results = [];
      for (const message of messages) results.push(await target.pipeline.receive(message));
      return results;
    };
    const tables = ['Identity', 'Customer', 'Chat', 'ChatMember', 'Conversation', 'Interaction', 'ProcessedMessage'];
    const order = (table: string) =>
      table === 'ChatMember' ? '"chatId", "customerId"' : table === 'ProcessedMessage' ? '"messageId"' : '"id"';
    // Those received by themselves (new sender, merged customer) may take their ids in another order.
    const withoutIds = (rows: PlainRow[]) =>
      rows
        // markMerged stamps the merged customer with the time of day.
        .map(({ id: _id, ...rest }) => (rest.mergedIntoId ? { ...rest, updatedAt: null } : rest))
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    const [first, second] = [await createTestDatabase(provider), await createTestDatabase(provider)];
    const [concurrent, sequential] = [await openStore(first.database), await openStore(second.database)];
    try {
      const together = await run(concurrent, true);
      const oneByOne = await run(sequential, false);
      const rows = await Promise.all(tables.map((table) => tableRows(first.database, table, order(table))));
      const expected = await Promise.all(tables.map((table) => tableRows(second.database, table, order(table))));
      expect(rows.map(withoutIds)).toEqual(expected.map(withoutIds));
      const plain = (results: typeof together) =>
        results.map((r) => r && { ...r, interactionId: 0, conversation: { ...r.conversation, id: 0 } });
      expect(plain(together)).toEqual(plain(oneByOne));
      expect(together.map((r) => r === null)).toEqual([
        false,
        false,
        false,
        false,
        false,
        true,
        false,
        false,
        false,
        false,
      ]);
      expect(together[6]?.identity.displayName).toBe('Anna');
      expect(together[4]?.chat.title).toBe('Fans 2');
    } finally {
      await concurrent.close();
      await sequential.close();
      await first.drop();
      await second.drop();
    }
  });

  it('commit: saves flow and state while the bot owns the conversation, only the failure count otherwise', async () => {
    const received = await fresh.store.pipeline.receive(inbound('m1'));
    const conversationId = received?.conversation.id ?? 0;
    const commit = (name: string, failedTurns: number, seconds: number) =>
      fresh.store.pipeline.commit({
        conversationId,
        at: at(seconds),
        flow: { name, state: { step: name } },
        failedTurns,
        outbound: { outbox: [], interactions: [] },
        profile: { events: [], tags: [] },
      });
    const saved = await commit('orders', 1, 1);
    expect(await fresh.store.pipeline.conversation(conversationId)).toMatchObject({
      flow: 'orders',
      flowState: { step: 'orders' },
      failedTurns: 1,
      updatedAt: at(1),
    });
    // The commit returns the conversation as it committed it.
    expect(saved).toEqual({ outbox: [], conversation: await fresh.store.pipeline.conversation(conversationId) });
    await fresh.store.repos.conversations.update(conversationId, { status: 'open' });
    const staffOwned = await commit('profile', 2, 2);
    expect(await fresh.store.pipeline.conversation(conversationId)).toMatchObject({
      status: 'open',
      flow: 'orders',
      flowState: { step: 'orders' },
      failedTurns: 2,
    });
    expect(staffOwned.conversation).toEqual(await fresh.store.pipeline.conversation(conversationId));
  });

  it('commit: writes outbox rows, their log entries, profile events and tags at the commit time', async () => {
    const received = await fresh.store.pipeline.receive(inbound('m1'));
    const customerId = received?.customer.id ?? 0;
    const conversationId = received?.conversation.id ?? 0;
    const reply = (text: string) => ({
      channel: 'telegram' as const,
      chatExternalId: 'u-1',
      customerId,
      conversationId,
      purpose: 'reply' as const,
      sourceKey: 'telegram:m1',
      text,
      buttons: [{ label: 'Menu', action: 'menu' }],
      meta: { group: false },
      notBefore: at(1),
      createdAt: at(1),
    });
    const logOf = (text: string) => ({
      customerId,
      conversationId,
      chatId: received?.chat.id ?? null,
      channel: 'telegram' as const,
      direction: 'out' as const,
      kind: 'bot_reply' as const,
      text,
      at: at(1),
    });
    const commit = (tags: string[]) =>
      fresh.store.pipeline.commit({
        conversationId,
        at: at(1),
        flow: { name: null, state: null },
        failedTurns: 0,
        outbound: { outbox: [reply('one'), reply('two')], interactions: [logOf('one'), logOf('two')] },
        profile: {
          events: [
            {
              customerId,
              channel: 'telegram',
              direction: 'event',
              kind: 'event',
              text: 'interest',
              payload: { tag: 'tea' },
              at: at(1),
            },
          ],
          tags: tags.map((tag) => ({ customerId, tag, source: 'interest' as const })),
        },
      });
    const { outbox: ids } = await commit(['tea']);
    expect(ids.map((r) => r.channel)).toEqual(['telegram', 'telegram']);
    const outbox = await rowsOf('OutboxMessage');
    expect(outbox.map((r) => [r.id, r.text, r.status, r.buttons, r.meta, r.createdAt])).toEqual(
      ids.map((r, i) => [
        r.id,
        ['one', 'two'][i],
        'queued',
        '[{"action":"menu","label":"Menu"}]',
        '{"group":false}',
        at(1).toISOString(),
      ]),
    );
    const logged = (await rowsOf('Interaction')).filter((r) => r.direction !== 'in');
    expect(logged.map((r) => [r.kind, r.payload, r.createdAt])).toEqual([
      ['event', '{"tag":"tea"}', at(1).toISOString()],
      ['bot_reply', `{"outboxId":${ids[0]?.id}}`, at(1).toISOString()],
      ['bot_reply', `{"outboxId":${ids[1]?.id}}`, at(1).toISOString()],
    ]);
    await fresh.store.pipeline.commit({
      conversationId,
      at: at(9),
      flow: { name: null, state: null },
      failedTurns: 0,
      outbound: { outbox: [], interactions: [] },
      profile: {
        events: [],
        tags: [
          { customerId, tag: 'tea', source: 'interest' },
          { customerId, tag: 'silk', source: 'interest' },
        ],
      },
    });
    expect(await rowsOf('CustomerTag', '"tag"')).toEqual([
      { customerId, tag: 'silk', source: 'interest', createdAt: at(9).toISOString() },
      { customerId, tag: 'tea', source: 'interest', createdAt: at(1).toISOString() },
    ]);
  });

  it('commit: concurrent turns of several customers (one group commit on PostgreSQL) write the rows of committing them one by one; a failing turn loses no other', async () => {
    const customers = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    /** Receives one message per customer, then commits a turn for each (two for "a", in order, and
     * for "g" one that fails: a tag for a customer that does not exist), all at once or one by one. */
    const run = async (target: Store, together: boolean, broken: boolean) => {
      const received: Array<ReceivedMessage | null> = [];
      for (const [i, name] of customers.entries()) {
        const chat = { externalId: `u-${name}`, kind: 'private' as const };
        received.push(
          await target.pipeline.receive(
            inbound(`m-${name}`, { at: at(i), chat, sender: { externalId: `u-${name}`, name } }),
          ),
        );
      }
      const turns = received.map((r, i) => {
        const customerId = r?.customer.id ?? 0;
        const conversationId = r?.conversation.id ?? 0;
        return (step: string, tags: Array<{ customerId: number; tag: string }>) =>
          target.pipeline.commit({
            conversationId,
            at: at(10 + i),
            flow: { name: 'menu', state: { step } },
            failedTurns: i,
            outbound: {
              outbox: [
                {
                  channel: 'telegram',
                  chatExternalId: `u-${customers[i]}`,
                  customerId,
                  conversationId,
                  purpose: 'reply',
                  text: `reply ${step}`,
                  notBefore: at(10 + i),
                  createdAt: at(10 + i),
                },
              ],
              interactions: [
                {
                  customerId,
                  conversationId,
                  channel: 'telegram',
                  direction: 'out',
                  kind: 'bot_reply',
                  text: `reply ${step}`,
                  at: at(10 + i),
                },
              ],
            },
            profile: {
              events: [],
              tags: tags.map((t) => ({ ...t, source: 'interest' as const })),
              language: {
                customerId,
                from: { locale: null, localeSource: null, languageStreak: 0 },
                to: { locale: 'en', localeSource: 'use', languageStreak: 0 },
              },
            },
          });
      });
      const idOf = (i: number) => received[i]?.customer.id ?? 0;
      const commits = [
        () => turns[0]?.('first', [{ customerId: idOf(0), tag: 'tea' }]),
        ...turns.slice(1, 6).map((turn, i) => () => turn(`only ${i + 1}`, [{ customerId: idOf(i + 1), tag: 'silk' }])),
        () => turns[0]?.('second', [{ customerId: idOf(0), tag: 'jade' }]),
        ...(broken ? [() => turns[6]?.('broken', [{ customerId: 999_999, tag: 'ghost' }])] : []),
      ];
      if (together) return Promise.allSettled(commits.map((commit) => commit()));
      const settled = [];
      for (const commit of commits) settled.push(...(await Promise.allSettled([commit()])));
      return settled;
    };
    const tables = ['Conversation', 'Customer', 'CustomerTag', 'OutboxMessage', 'Interaction'];
    const order = (table: string) => (table === 'CustomerTag' ? '"tag", "customerId"' : '"id"');
    // A failed statement has drawn ids (sequences do not roll back): compare those rows without them.
    const withoutIds = (rows: PlainRow[]) => rows.map(({ id: _id, payload: _payload, ...rest }) => rest);
    for (const broken of [false, true]) {
      const [first, second] = [await createTestDatabase(provider), await createTestDatabase(provider)];
      const [concurrent, sequential] = [await openStore(first.database), await openStore(second.database)];
      try {
        const together = await run(concurrent, true, broken);
        const oneByOne = await run(sequential, false, broken);
        const rows = await Promise.all(tables.map((table) => tableRows(first.database, table, order(table))));
        const expected = await Promise.all(tables.map((table) => tableRows(second.database, table, order(table))));
        const statuses = together.map((r) => r.status);
        expect(statuses).toEqual([
          ...customers.slice(0, 6).map(() => 'fulfilled'),
          'fulfilled',
          ...(broken ? ['rejected'] : []),
        ]);
        expect(oneByOne.map((r) => r.status)).toEqual(statuses);
        const results = (settled: typeof together) => settled.map((r) => (r.status === 'fulfilled' ? r.value : null));
        if (broken) {
          expect(rows.map(withoutIds)).toEqual(expected.map(withoutIds));
          expect(results(together).map((r) => r?.outbox.length)).toEqual(
            results(oneByOne).map((r) => r?.outbox.length),
          );
        } else {
          expect(rows).toEqual(expected);
          expect(results(together)).toEqual(results(oneByOne));
        }
        // The second turn of "a" came after its first; the failed turn wrote nothing.
        const [conversations, , tags, outbox] = rows;
        expect(conversations?.[0]).toMatchObject({ flowState: '{"step":"second"}' });
        expect(tags?.map((t) => t.tag)).toEqual(['jade', 'silk', 'silk', 'silk', 'silk', 'silk', 'tea']);
        expect(outbox).toHaveLength(7);
      } finally {
        await concurrent.close();
        await sequential.close();
        await first.drop();
        await second.drop();
      }
    }
  });

  it('privateChat and conversation read what receive wrote; unknown ones are null', async () => {
    const received = await fresh.store.pipeline.receive(inbound('m1'));
    expect(await fresh.store.pipeline.privateChat('telegram', 'u-1')).toEqual(received?.chat);
    expect(await fresh.store.pipeline.privateChat('telegram', 'nobody')).toBeNull();
    expect(await fresh.store.pipeline.conversation(received?.conversation.id ?? 0)).toEqual(received?.conversation);
    expect(await fresh.store.pipeline.conversation(999_999)).toBeNull();
  });

  const enqueue = (rows: Array<{ text: string; channel?: ChannelName; notBefore?: Date; purpose?: OutboxPurpose }>) =>
    fresh.store.repos.outbox.enqueue(
      rows.map((row) => ({
        channel: row.channel ?? 'telegram',
        chatExternalId: 'u-1',
        purpose: row.purpose ?? 'reply',
        text: row.text,
        notBefore: row.notBefore ?? T0,
        createdAt: T0,
      })),
    );

  it('outbox claim: due rows of the channel only, oldest first, up to the limit, marked sending', async () => {
    await enqueue([
      { text: 'a' },
      { text: 'web', channel: 'webchat' },
      { text: 'later', notBefore: at(60) },
      { text: 'b' },
      { text: 'c' },
    ]);
    const claimed = await fresh.store.outbox.claim('telegram', 2, 'w1', at(1));
    expect(claimed.map((r) => [r.text, r.status, r.attempts, r.claimedAt])).toEqual([
      ['a', 'sending', 1, at(1)],
      ['b', 'sending', 1, at(1)],
    ]);
    expect(claimed[0]?.claimedBy).toMatch(/^w1:/);
    expect((await fresh.store.outbox.claim('telegram', 10, 'w2', at(2))).map((r) => r.text)).toEqual(['c']);
    expect((await fresh.store.outbox.claim('telegram', 10, 'w2', at(61))).map((r) => r.text)).toEqual(['later']);
  });

  it('outbox claim: a reply enqueued after 200 queued campaign rows is claimed first', async () => {
    await enqueue(Array.from({ length: 200 }, (_, i) => ({ text: `campaign ${i}`, purpose: 'campaign' as const })));
    const first = await fresh.store.outbox.claim('telegram', 25, 'w', at(1));
    expect(first.every((r) => r.purpose === 'campaign')).toBe(true);
    // The pipeline's own write path (a turn's replies) and the service path (a staff message).
    const received = await fresh.store.pipeline.receive(inbound('m1', { at: at(2) }));
    await fresh.store.pipeline.commit({
      conversationId: received?.conversation.id ?? 0,
      at: at(2),
      flow: { name: null, state: null },
      failedTurns: 0,
      outbound: {
        outbox: [
          {
            channel: 'telegram',
            chatExternalId: 'u-1',
            purpose: 'reply',
            text: 'reply',
            notBefore: at(2),
            createdAt: at(2),
          },
        ],
        interactions: [],
      },
      profile: { events: [], tags: [] },
    });
    await enqueue([
      { text: 'staff', purpose: 'staff', notBefore: at(2) },
      { text: 'notice', purpose: 'notification' },
    ]);
    const next = await fresh.store.outbox.claim('telegram', 3, 'w', at(3));
    expect(next.map((r) => r.text)).toEqual(['reply', 'staff', 'campaign 25']);
  });

  it('outbox claim: concurrent claimers never share a row', async () => {
    await enqueue(Array.from({ length: 60 }, (_, i) => ({ text: `m${i}` })));
    const batches = await Promise.all(['a', 'b', 'c'].map((w) => fresh.store.outbox.claim('telegram', 25, w, at(1))));
    const ids = batches.flat().map((r) => r.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });

  it('outbox marks: sent in a batch, failed, unknown, requeued, postponed; stale claims expire as unknown', async () => {
    await enqueue(['s1', 's2', 'f', 'u', 'r', 'p', 'stale'].map((text) => ({ text })));
    const claimed = await fresh.store.outbox.claim('telegram', 10, 'w', at(1));
    const id = (text: string) => claimed.find((r) => r.text === text)?.id ?? 0;
    await fresh.store.outbox.markSent([
      { id: id('s1'), at: at(2), externalId: 'x1' },
      { id: id('s2'), at: at(3) },
    ]);
    await fresh.store.outbox.markFailed(id('f'), 'no such chat');
    await fresh.store.outbox.markUnknown(id('u'), 'timeout');
    await fresh.store.outbox.requeue(id('r'), at(30), 'busy');
    await fresh.store.outbox.postpone(id('p'), at(40));
    const stale = await fresh.store.outbox.expireStaleClaims(at(5));
    expect(stale.map((r) => [r.text, r.status])).toEqual([['stale', 'unknown']]);
    const rows = await rowsOf('OutboxMessage');
    expect(
      rows.map((r) => [r.text, r.status, r.sentAt, r.externalId, r.error, r.notBefore, r.claimedBy === null]),
    ).toEqual([
      ['s1', 'sent', at(2).toISOString(), 'x1', null, T0.toISOString(), false],
      ['s2', 'sent', at(3).toISOString(), null, null, T0.toISOString(), false],
      ['f', 'failed', null, null, 'no such chat', T0.toISOString(), false],
      ['u', 'unknown', null, null, 'timeout', T0.toISOString(), false],
      ['r', 'queued', null, null, 'busy', at(30).toISOString(), true],
      ['p', 'queued', null, null, null, at(40).toISOString(), true],
      ['stale', 'unknown', null, null, 'worker stopped after claiming; delivery unknown', T0.toISOString(), false],
    ]);
  });

  /** A turn that only tags `tagOwner` (a customer id that does not exist makes the commit fail). */
  const taggingTurn = (conversationId: number, step: string, tagOwner: number) =>
    fresh.store.pipeline.commit({
      conversationId,
      at: at(2),
      flow: { name: 'menu', state: { step } },
      failedTurns: 0,
      outbound: { outbox: [], interactions: [] },
      profile: { events: [], tags: [{ customerId: tagOwner, tag: step, source: 'interest' }] },
    });

  it('outbox marks: sent while turns are committed (on PostgreSQL they ride the commit statement) are written, also when that commit fails', async () => {
    const received = await fresh.store.pipeline.receive(inbound('m1'));
    const conversationId = received?.conversation.id ?? 0;
    const customerId = received?.customer.id ?? 0;
    await enqueue(['s1', 's2', 's3', 's4'].map((text) => ({ text })));
    const claimed = await fresh.store.outbox.claim('telegram', 10, 'w', at(1));
    const id = (text: string) => claimed.find((r) => r.text === text)?.id ?? 0;
    const turn = (step: string, tagOwner: number) => taggingTurn(conversationId, step, tagOwner);
    // Marks made while a commit that fails (a tag for no customer) is in flight, then while one
    // that succeeds is.
    const failing = await Promise.allSettled([
      turn('broken', 999_999),
      fresh.store.outbox.markSent([
        { id: id('s1'), at: at(3), externalId: 'x1' },
        { id: id('s2'), at: at(4) },
      ]),
    ]);
    expect(failing.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    const committed = await Promise.allSettled([
      turn('ok', customerId),
      fresh.store.outbox.markSent([{ id: id('s3'), at: at(5), externalId: 'x3' }]),
    ]);
    expect(committed.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const rows = await rowsOf('OutboxMessage');
    expect(rows.map((r) => [r.text, r.status, r.sentAt, r.externalId])).toEqual([
      ['s1', 'sent', at(3).toISOString(), 'x1'],
      ['s2', 'sent', at(4).toISOString(), null],
      ['s3', 'sent', at(5).toISOString(), 'x3'],
      ['s4', 'sending', null, null],
    ]);
    expect((await rowsOf('CustomerTag', '"tag"')).map((r) => r.tag)).toEqual(['ok']);
  });

  it('outbox claim: made while turns are committed (on PostgreSQL it rides the commit statement), also when that commit fails', async () => {
    const received = await fresh.store.pipeline.receive(inbound('m1'));
    const conversationId = received?.conversation.id ?? 0;
    const customerId = received?.customer.id ?? 0;
    await enqueue([{ text: 'a' }, { text: 'web', channel: 'webchat' }, { text: 'b' }, { text: 'c' }, { text: 'd' }]);
    const turn = (step: string, tagOwner: number) => taggingTurn(conversationId, step, tagOwner);
    const failing = await Promise.allSettled([
      turn('broken', 999_999),
      fresh.store.outbox.claim('telegram', 2, 'w1', at(1)),
    ]);
    expect(failing.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    const committed = await Promise.allSettled([
      turn('ok', customerId),
      fresh.store.outbox.claim('telegram', 5, 'w2', at(3)),
    ]);
    expect(committed.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const claims = [failing[1], committed[1]].map((r) => (r?.status === 'fulfilled' ? r.value : []));
    expect(claims.map((rows) => rows.map((r) => [r.text, r.status, r.attempts, r.claimedAt]))).toEqual([
      [
        ['a', 'sending', 1, at(1)],
        ['b', 'sending', 1, at(1)],
      ],
      [
        ['c', 'sending', 1, at(3)],
        ['d', 'sending', 1, at(3)],
      ],
    ]);
    expect(claims[1]?.[0]?.claimedBy).toMatch(/^w2:/);
    const rows = await rowsOf('OutboxMessage');
    expect(rows.map((r) => [r.text, r.status, r.claimedBy === null])).toEqual([
      ['a', 'sending', false],
      ['web', 'queued', true],
      ['b', 'sending', false],
      ['c', 'sending', false],
      ['d', 'sending', false],
    ]);
    expect((await rowsOf('CustomerTag', '"tag"')).map((r) => r.tag)).toEqual(['ok']);
  });

  it('hot reads: recent orders with items and history, the cached balance, expiring points — as the repositories read them', async () => {
    const received = await fresh.store.pipeline.receive(inbound('m1'));
    const customerId = received?.customer.id ?? 0;
    for (const [n, day] of [
      [1, 1],
      [2, 3],
      [3, 2],
    ] as const) {
      await fresh.store.repos.orders.create(
        {
          orderNo: `NO-${n}`,
          customerId,
          status: 'paid',
          total: 100 * n,
          placedAt: at(day * 86_400),
          items: [
            { sku: `A${n}`, name: 'Tea', qty: 1, price: 50 * n },
            { sku: `B${n}`, name: 'Cup', qty: 1, price: 50 * n },
          ],
        },
        at(day * 86_400),
      );
    }
    await fresh.store.repos.loyalty.insertEntry({
      customerId,
      amount: 30,
      kind: 'earn',
      reason: 'order',
      idempotencyKey: 'e1',
      expiresAt: at(10 * 86_400),
      at: T0,
    });
    await fresh.store.repos.loyalty.insertEntry({
      customerId,
      amount: 20,
      kind: 'earn',
      reason: 'order',
      idempotencyKey: 'e2',
      expiresAt: at(5 * 86_400),
      at: T0,
    });
    await fresh.store.repos.loyalty.setCachedBalance(customerId, 50);
    const read = async () => ({
      orders: await fresh.store.reads.recentOrders(customerId, 2),
      balance: await fresh.store.reads.pointsBalance(customerId),
      expiring: await fresh.store.reads.expiringPoints(customerId, at(20 * 86_400)),
      none: await fresh.store.reads.expiringPoints(customerId, at(86_400)),
    });
    const fast = await read();
    expect(fast.orders.map((o) => [o.orderNo, o.items.map((i) => i.sku), o.events.map((e) => e.status)])).toEqual([
      ['NO-2', ['A2', 'B2'], ['paid']],
      ['NO-3', ['A3', 'B3'], ['paid']],
    ]);
    expect(fast.balance).toBe(50);
    expect(fast.expiring).toEqual({ points: 50, at: at(5 * 86_400) });
    expect(fast.none).toEqual({ points: 0, at: null });
    // Inside a transaction the repositories answer: the same values.
    expect(await fresh.store.transaction(() => read())).toEqual(fast);
  });
});
