import { expect, it } from 'vitest';
import type { Channel, OutboundMessage } from '../../src/core/channel.ts';
import { SendError } from '../../src/core/channel.ts';
import { OutboxSender } from '../../src/core/outbox-sender.ts';
import { Pacer } from '../../src/core/pacing.ts';
import { ManualClock, MINUTE } from '../../src/kernel/clock.ts';
import { EventBus } from '../../src/kernel/events.ts';
import { silentLogger } from '../../src/kernel/logger.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { storePerTest } from '../helpers/store.ts';

/** A channel that records what it was asked to send, and can be told to fail. */
class RecordingChannel implements Channel {
  readonly name = 'telegram' as const;
  readonly pacing = {};
  sent: OutboundMessage[] = [];
  failWith: SendError | null = null;
  async start() {}
  async stop() {}
  async send(message: OutboundMessage) {
    if (this.failWith) throw this.failWith;
    this.sent.push(message);
    return { externalId: `x${message.outboxId}` };
  }
}

describeEachProvider('outbox', (provider) => {
  const fresh = storePerTest(provider);
  const clock = new ManualClock('2026-03-02T04:00:00Z');

  const enqueue = (texts: string[]) =>
    fresh.store.repos.outbox.enqueue(
      texts.map((text) => ({
        channel: 'telegram',
        chatExternalId: 'chat-1',
        purpose: 'reply',
        text,
        notBefore: clock.now(),
        createdAt: clock.now(),
      })),
    );

  const sender = (workerId: string, channel: Channel) => {
    const s = new OutboxSender(
      { store: fresh.store, clock, events: new EventBus(), log: silentLogger },
      { workerId, leaseMs: 5 * MINUTE },
    );
    s.addChannel(channel, new Pacer({}, { timeZone: 'Asia/Shanghai' }));
    return s;
  };

  it('a photo for a channel that cannot send images fails visibly and nothing is sent; a channel that can gets it', async () => {
    const image = { id: 'photo-1', kind: 'image' as const, mime: 'image/png', size: 70, name: 'shoe.png' };
    const [row] = await fresh.store.repos.outbox.enqueue([
      {
        channel: 'telegram',
        chatExternalId: 'chat-1',
        purpose: 'staff',
        text: '实拍图',
        meta: { group: false, image },
        notBefore: clock.now(),
        createdAt: clock.now(),
      },
    ]);
    const textOnly = new RecordingChannel();
    const s = sender('w-photo', textOnly);
    await s.drainChannel('telegram');
    expect(textOnly.sent).toEqual([]);
    const failed = await fresh.store.repos.outbox.get(row?.id ?? 0);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toContain('cannot send photos');
    await s.stop();

    const [second] = await fresh.store.repos.outbox.enqueue([
      {
        channel: 'telegram',
        chatExternalId: 'chat-1',
        purpose: 'staff',
        text: '',
        meta: { group: false, image },
        notBefore: clock.now(),
        createdAt: clock.now(),
      },
    ]);
    const photoChannel = Object.assign(new RecordingChannel(), { sendsImages: true });
    const t = sender('w-photo-2', photoChannel);
    await t.drainChannel('telegram');
    expect(photoChannel.sent).toEqual([expect.objectContaining({ outboxId: second?.id, text: '', image })]);
    await t.stop();
  });

  it('sends each queued row once and marks it sent', async () => {
    const rows = await enqueue(['a', 'b', 'c']);
    const channel = new RecordingChannel();
    await sender('w1', channel).drainChannel('telegram');
    await sender('w2', channel).drainChannel('telegram');
    expect(channel.sent.map((m) => m.text)).toEqual(['a', 'b', 'c']);
    for (const row of rows) expect((await fresh.store.repos.outbox.get(row.id))?.status).toBe('sent');
  });

  it('a sender crash after claiming never leads to a second send: the row becomes unknown', async () => {
    const [row] = await enqueue(['maybe sent']);
    // Worker A claims the row and dies before marking it (the platform may or may not have it).
    const claimed = await fresh.store.outbox.claim('telegram', 10, 'worker-a', clock.now());
    expect(claimed.map((r) => r.id)).toEqual([row?.id]);
    const channel = new RecordingChannel();
    const restarted = sender('worker-b', channel);
    // Within the lease the row is left alone...
    await restarted.drainChannel('telegram');
    expect(await restarted.recoverAbandoned()).toEqual([]);
    // ...after it, it is reported as unknown, and never sent again.
    clock.advance(6 * MINUTE);
    const reported = await restarted.recoverAbandoned();
    expect(reported.map((r) => r.id)).toEqual([row?.id]);
    await restarted.drainChannel('telegram');
    expect(channel.sent).toEqual([]);
    expect((await fresh.store.repos.outbox.get(row?.id ?? -1))?.status).toBe('unknown');
  });

  it('claims replies before bulk rows, each in due-time order, and leaves rows not yet due', async () => {
    const at = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);
    const row = (text: string, purpose: 'reply' | 'campaign', dueIn: number) => ({
      channel: 'telegram' as const,
      chatExternalId: `chat-${text}`,
      purpose,
      text,
      notBefore: at(dueIn),
      createdAt: clock.now(),
    });
    // A backlog of due campaign rows, replies postponed into the future, and three due replies
    // enqueued in the reverse of their due order.
    await fresh.store.repos.outbox.enqueue(Array.from({ length: 60 }, (_, i) => row(`c${i}`, 'campaign', -100 + i)));
    await fresh.store.repos.outbox.enqueue(Array.from({ length: 30 }, (_, i) => row(`later${i}`, 'reply', 30 + i)));
    await fresh.store.repos.outbox.enqueue([row('r3', 'reply', -1), row('r2', 'reply', -2), row('r1', 'reply', -3)]);
    const claimed = await fresh.store.outbox.claim('telegram', 5, 'w', clock.now());
    expect(claimed.map((r) => r.text)).toEqual(['r1', 'r2', 'r3', 'c0', 'c1']);
    const next = await fresh.store.outbox.claim('telegram', 3, 'w', clock.now());
    expect(next.map((r) => r.text)).toEqual(['c2', 'c3', 'c4']);
  });

  it('two workers claiming at once never get the same row', async () => {
    await enqueue(Array.from({ length: 40 }, (_, i) => `m${i}`));
    const [a, b] = await Promise.all([
      fresh.store.outbox.claim('telegram', 25, 'a', clock.now()),
      fresh.store.outbox.claim('telegram', 25, 'b', clock.now()),
    ]);
    const ids = [...a, ...b].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
  });

  it('retries a retryable failure later, fails a permanent one, and never retries an ambiguous one', async () => {
    const channel = new RecordingChannel();
    const s = sender('w', channel);
    const [retry] = await enqueue(['retry me']);
    channel.failWith = new SendError('429 too many requests', 'retryable', 3000);
    await s.drainChannel('telegram');
    expect((await fresh.store.repos.outbox.get(retry?.id ?? -1))?.status).toBe('queued');
    channel.failWith = null;
    clock.advance(3001);
    await s.drainChannel('telegram');
    expect(channel.sent.map((m) => m.text)).toEqual(['retry me']);

    const [permanent] = await enqueue(['blocked']);
    channel.failWith = new SendError('403 bot was blocked by the user', 'permanent');
    await s.drainChannel('telegram');
    expect((await fresh.store.repos.outbox.get(permanent?.id ?? -1))?.status).toBe('failed');

    const [ambiguous] = await enqueue(['timed out']);
    channel.failWith = new SendError('socket hang up after write', 'ambiguous');
    await s.drainChannel('telegram');
    channel.failWith = null;
    clock.advance(MINUTE);
    await s.drainChannel('telegram');
    expect((await fresh.store.repos.outbox.get(ambiguous?.id ?? -1))?.status).toBe('unknown');
    expect(channel.sent.map((m) => m.text)).toEqual(['retry me']);
  });

  it('postpones rows the pacer does not allow yet, without holding them in sending', async () => {
    const channel = new RecordingChannel();
    const s = new OutboxSender(
      { store: fresh.store, clock, events: new EventBus(), log: silentLogger },
      { workerId: 'p' },
    );
    s.addChannel(channel, new Pacer({ privateChatIntervalMs: 1000 }, { timeZone: 'Asia/Shanghai' }));
    await enqueue(['one', 'two']);
    await s.drainChannel('telegram');
    expect(channel.sent.map((m) => m.text)).toEqual(['one']);
    const counts = await fresh.store.repos.outbox.countByStatus('telegram');
    expect(counts.find((c) => c.status === 'sending')).toBeUndefined();
    clock.advance(1000);
    await s.drainChannel('telegram');
    expect(channel.sent.map((m) => m.text)).toEqual(['one', 'two']);
    await s.stop();
  });
});
