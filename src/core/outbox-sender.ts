// Drains the outbox per channel. A row is claimed (queued → sending) before the platform is called
// and marked sent/failed after. A row still `sending` when its worker died may or may not have gone
// out: it becomes `unknown` and is reported, never sent again.

import { isProactive } from '../crm/messaging.ts';
import type { SentMark } from '../db/outbox-queue.ts';
import type { Store } from '../db/store.ts';
import type { OutboxMessage } from '../db/types.ts';
import { type Attachment, Button } from '../domain/messages.ts';
import { OutboxMeta } from '../domain/outbox.ts';
import type { Clock } from '../kernel/clock.ts';
import type { EventBus } from '../kernel/events.ts';
import type { Logger } from '../kernel/logger.ts';
import type { Channel, OutboundMessage } from './channel.ts';
import { SendError } from './channel.ts';
import type { Pacer } from './pacing.ts';

export interface SenderOptions {
  workerId: string;
  /** A claim older than this is considered abandoned (its worker died). */
  leaseMs?: number;
  batchSize?: number;
  /** Sends in flight at once per channel. */
  concurrency?: number;
  maxAttempts?: number;
}

interface ChannelLane {
  channel: Channel;
  pacer: Pacer;
  draining: Promise<void> | null;
  again: boolean;
  timer: NodeJS.Timeout | null;
}

export class OutboxSender {
  private readonly lanes = new Map<string, ChannelLane>();
  private unsubscribe: (() => void) | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private stopped = false;
  private sentMarks: SentMark[] = [];
  private sentFlush: Promise<void> | null = null;

  constructor(
    private readonly deps: { store: Store; clock: Clock; events: EventBus; log: Logger },
    private readonly options: SenderOptions,
  ) {}

  addChannel(channel: Channel, pacer: Pacer): void {
    this.lanes.set(channel.name, { channel, pacer, draining: null, again: false, timer: null });
  }

  /** Reports abandoned claims, then drains continuously: on every enqueue and on a slow sweep. */
  async start(): Promise<void> {
    await this.recoverAbandoned();
    this.unsubscribe = this.deps.events.on('outbox', ({ channel }) => this.kick(channel));
    this.sweeper = setInterval(() => {
      for (const name of this.lanes.keys()) this.kick(name);
      void this.recoverAbandoned().catch((error) => this.deps.log.error({ err: error }, 'outbox recovery failed'));
    }, 1000);
    this.sweeper.unref();
    for (const name of this.lanes.keys()) this.kick(name);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.sweeper) clearInterval(this.sweeper);
    for (const lane of this.lanes.values()) {
      if (lane.timer) clearTimeout(lane.timer);
      await lane.draining;
    }
  }

  /** Marks rows whose worker vanished mid-send as `unknown`; returns them for reporting. */
  async recoverAbandoned(): Promise<OutboxMessage[]> {
    const leaseMs = this.options.leaseMs ?? 5 * 60_000;
    const stale = await this.deps.store.outbox.expireStaleClaims(new Date(this.deps.clock.now().getTime() - leaseMs));
    for (const row of stale) {
      this.deps.log.warn(
        { outboxId: row.id, channel: row.channel, claimedBy: row.claimedBy },
        'outbox row abandoned mid-send: marked unknown, not re-sent',
      );
      this.deps.events.emit('delivered', {
        id: row.id,
        channel: row.channel,
        chatExternalId: row.chatExternalId,
        status: 'unknown',
      });
    }
    return stale;
  }

  kick(channelName: string): void {
    const lane = this.lanes.get(channelName);
    if (!lane || this.stopped) return;
    if (lane.draining) {
      lane.again = true;
      return;
    }
    void this.runDrain(lane);
  }

  /** Sends everything due now on one channel; resolves when nothing due is left. Tests call this directly. */
  async drainChannel(channelName: string): Promise<void> {
    const lane = this.lanes.get(channelName);
    if (!lane) throw new Error(`no channel ${channelName}`);
    // One drain per lane at a time: wait for a running one, then drain once more ourselves.
    while (lane.draining) await lane.draining;
    await this.runDrain(lane);
  }

  private runDrain(lane: ChannelLane): Promise<void> {
    const run = this.drain(lane)
      .catch((error) => this.deps.log.error({ err: error, channel: lane.channel.name }, 'outbox drain failed'))
      .finally(() => {
        lane.draining = null;
        if (lane.again && !this.stopped) {
          lane.again = false;
          this.kick(lane.channel.name);
        }
      });
    lane.draining = run;
    return run;
  }

  private async drain(lane: ChannelLane): Promise<void> {
    const concurrency = this.options.concurrency ?? 8;
    const batchSize = this.options.batchSize ?? 25;
    // A new batch waits until the sends already made are recorded: what a crash can leave unrecorded
    // stays bounded by one batch plus the sends in flight.
    const claimNext = async () => {
      // Whatever was enqueued before this claim runs is in its answer (the event comes after the commit).
      lane.again = false;
      await this.sentFlush?.catch(() => undefined);
      return this.deps.store.outbox.claim(lane.channel.name, batchSize, this.options.workerId, this.deps.clock.now());
    };
    // Another claim can find something only when the last one came back full or a row was enqueued since
    // (`again`); otherwise it would come back empty, which at one or two replies per update was a claim
    // statement per update for nothing (issue 13). Rows that fall due later are kicked by their timer.
    const worthClaiming = (batch: OutboxMessage[]) => !this.stopped && (batch.length >= batchSize || lane.again);
    const sending = new Set<Promise<void>>();
    const settling = new Set<Promise<void>>();
    let batch = this.stopped ? [] : await claimNext();
    while (batch.length > 0) {
      let upcoming: Promise<OutboxMessage[]> | null = null;
      for (const [index, row] of batch.entries()) {
        // Claim the next batch while this one's tail is going out, so the lane never idles on the database.
        if (!upcoming && batch.length - index <= concurrency && worthClaiming(batch)) upcoming = claimNext();
        const meta = metaOf(row);
        const decision = lane.pacer.reserve(
          {
            chatId: row.chatExternalId,
            group: meta?.group ?? false,
            proactive: isProactive(row.purpose),
          },
          this.deps.clock.now().getTime(),
        );
        if (decision.kind === 'wait') {
          // Not allowed yet: back to the queue with a due time, so nothing is held in `sending`.
          await this.deps.store.outbox.postpone(row.id, new Date(this.deps.clock.now().getTime() + decision.ms));
          this.schedule(lane, decision.ms);
          continue;
        }
        const task = this.sendOne(lane, row, meta, decision.afterMs, settling).finally(() => sending.delete(task));
        sending.add(task);
        if (sending.size >= concurrency) await Promise.race(sending);
      }
      batch = upcoming ? await upcoming : worthClaiming(batch) ? await claimNext() : [];
      if (this.stopped) {
        // Claimed but not started: hand them back untouched rather than leave them to become `unknown`.
        for (const row of batch) await this.deps.store.outbox.postpone(row.id, this.deps.clock.now());
        batch = [];
      }
    }
    await Promise.all(sending);
    await Promise.all(settling);
  }

  /**
   * Sends one row. The send holds a concurrency slot; recording its outcome does not, because the
   * write may wait behind an open database transaction and the next send should not wait with it.
   */
  private async sendOne(
    lane: ChannelLane,
    row: OutboxMessage,
    meta: OutboxMeta | undefined,
    delayMs: number,
    settling: Set<Promise<void>>,
  ) {
    if (delayMs > 0) await sleep(delayMs);
    // Real time on purpose: this paces actual sleeps, which a test's frozen clock would never end.
    for (let hold = lane.pacer.admit(Date.now()); hold > 0; hold = lane.pacer.admit(Date.now())) await sleep(hold);
    const message: OutboundMessage = {
      chatId: row.chatExternalId,
      text: row.text,
      outboxId: row.id,
      ...(row.sourceKey ? { sourceKey: row.sourceKey } : {}),
      ...buttonsOf(row),
      ...mentionOf(meta),
      ...imageOf(meta),
    };
    let outcome: Promise<'sent' | 'failed' | 'unknown' | 'queued'>;
    try {
      if (message.image && !lane.channel.sendsImages)
        throw new SendError(`this channel cannot send photos (${lane.channel.name})`, 'permanent');
      const result = await lane.channel.send(message);
      outcome = this.recordSent({ id: row.id, at: this.deps.clock.now(), externalId: result.externalId }).then(
        () => 'sent',
      );
    } catch (error) {
      outcome = this.settleFailure(lane, row, error);
    }
    const settled = outcome
      .then((status) => {
        if (status === 'queued') return;
        this.deps.events.emit('delivered', {
          id: row.id,
          channel: row.channel,
          chatExternalId: row.chatExternalId,
          status,
        });
      })
      .catch((error) => this.deps.log.error({ err: error, outboxId: row.id }, 'recording a send outcome failed'))
      .finally(() => settling.delete(settled));
    settling.add(settled);
  }

  /** Sent-marks made in the same turn of the event loop are written together, in one transaction. */
  private recordSent(mark: SentMark): Promise<void> {
    this.sentMarks.push(mark);
    this.sentFlush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const marks = this.sentMarks.splice(0);
      this.sentFlush = null;
      return this.deps.store.outbox.markSent(marks);
    });
    return this.sentFlush;
  }

  private async settleFailure(lane: ChannelLane, row: OutboxMessage, error: unknown) {
    const outbox = this.deps.store.outbox;
    const reason = error instanceof Error ? error.message : String(error);
    const kind = error instanceof SendError ? error.kind : 'ambiguous';
    if (kind === 'retryable' && row.attempts < (this.options.maxAttempts ?? 5)) {
      const wait = error instanceof SendError && error.retryAfterMs ? error.retryAfterMs : 2 ** row.attempts * 1000;
      await outbox.requeue(row.id, new Date(this.deps.clock.now().getTime() + wait), reason);
      this.schedule(lane, wait);
      return 'queued' as const;
    }
    if (kind === 'ambiguous') {
      this.deps.log.warn({ outboxId: row.id, channel: row.channel, err: reason }, 'send outcome unknown: not retried');
      await outbox.markUnknown(row.id, reason);
      return 'unknown' as const;
    }
    this.deps.log.warn({ outboxId: row.id, channel: row.channel, err: reason }, 'send failed');
    await outbox.markFailed(row.id, reason);
    return 'failed' as const;
  }

  private schedule(lane: ChannelLane, ms: number): void {
    if (this.stopped || lane.timer) return;
    lane.timer = setTimeout(
      () => {
        lane.timer = null;
        this.kick(lane.channel.name);
      },
      Math.min(Math.max(ms, 10), 60_000),
    );
    lane.timer.unref();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A row's meta, parsed once per send (it was parsed three times: group, mention, image). */
function metaOf(row: OutboxMessage): OutboxMeta | undefined {
  const meta = OutboxMeta.safeParse(row.meta);
  return meta.success ? meta.data : undefined;
}

function mentionOf(meta: OutboxMeta | undefined): { mentionUserId?: string } {
  return meta?.mention ? { mentionUserId: meta.mention } : {};
}

function imageOf(meta: OutboxMeta | undefined): { image?: Attachment } {
  return meta?.image ? { image: meta.image } : {};
}

/** Built once: `Button.array()` made a new schema for every row. */
const Buttons = Button.array();

function buttonsOf(row: OutboxMessage): { buttons?: Button[] } {
  const parsed = Buttons.safeParse(row.buttons);
  return parsed.success && parsed.data.length > 0 ? { buttons: parsed.data } : {};
}
