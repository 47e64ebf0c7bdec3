// The outbox sender's claim/mark cycle on PostgreSQL: one statement per step. Claims skip rows
// another instance holds (FOR UPDATE SKIP LOCKED), so several senders share a queue without waiting
// on each other; a batch of sent marks is one UPDATE … FROM unnest(…), or, while turns are being
// committed, part of the next commit statement (PgPipelineStore.carrySent).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ChannelName } from '../../domain/channels.ts';
import { outboxPriorities } from '../../domain/outbox.ts';
import { readOutboxMessage } from '../hot/rows.ts';
import type { OutboxQueue, SentMark } from '../outbox-queue.ts';
import type { OutboxMessage } from '../types.ts';
import { pgTime, rowsOf } from './pool.ts';

/**
 * The ids a claim takes (a sub-select; the parameters are SQL expressions): per priority, in claim
 * order, the due rows in due-time order, each priority read from the (channel, status, priority,
 * notBefore, id) index only as far as the claim takes (a LATERAL per priority, since FOR UPDATE
 * may not follow a UNION), so a claim costs the rows it takes however large the backlog is.
 */
export function claimableIds(now: string, channel: string, limit: string): string {
  return `SELECT d."id" FROM unnest(ARRAY[${outboxPriorities.join(',')}]::int[]) WITH ORDINALITY AS p("priority", "k")
      CROSS JOIN LATERAL (SELECT o."id", o."notBefore" FROM "OutboxMessage" AS o WHERE o."channel" = ${channel}
        AND o."status" = 'queued' AND o."priority" = p."priority" AND o."notBefore" <= ${now}
        ORDER BY o."notBefore", o."id" LIMIT ${limit} FOR UPDATE SKIP LOCKED) AS d
      ORDER BY p."k", d."notBefore", d."id" LIMIT ${limit}`;
}

/** RETURNING gives rows in no set order: back to the claim's (priority, due time, id). */
export function inClaimOrder(a: OutboxMessage, b: OutboxMessage): number {
  return a.priority - b.priority || a.notBefore.getTime() - b.notBefore.getTime() || a.id - b.id;
}

const SQL = {
  claim: `UPDATE "OutboxMessage" SET "status" = 'sending', "claimedAt" = $1, "claimedBy" = $2, "attempts" = "attempts" + 1
     WHERE "id" IN (${claimableIds('$1', '$3', '$4')}) RETURNING *`,
  sent: `UPDATE "OutboxMessage" AS o SET "status" = 'sent', "sentAt" = s."at", "externalId" = s."externalId"
     FROM unnest($1::int[], $2::timestamp(3)[], $3::text[]) AS s("id", "at", "externalId") WHERE o."id" = s."id"`,
  settle: `UPDATE "OutboxMessage" SET "status" = $1, "error" = $2 WHERE "id" = $3`,
  requeue: `UPDATE "OutboxMessage" SET "status" = 'queued', "notBefore" = $1, "claimedBy" = NULL, "claimedAt" = NULL, "error" = $2 WHERE "id" = $3`,
  postpone: `UPDATE "OutboxMessage" SET "status" = 'queued', "notBefore" = $1, "claimedBy" = NULL WHERE "id" = $2`,
  expire: `UPDATE "OutboxMessage" SET "status" = 'unknown', "error" = 'worker stopped after claiming; delivery unknown'
     WHERE "status" = 'sending' AND "claimedAt" < $1 RETURNING *`,
} as const;

/** The statements whose generic plan is the right one whatever the outbox's size (see rows()). */
const PREPARED: ReadonlySet<keyof typeof SQL> = new Set(['claim']);

/** Something that may write sent-marks and claim rows with a statement it sends anyway (PgPipelineStore.carrySent):
 * a promise of their commit, or undefined when it sends none soon. */
export interface SentCarrier {
  carrySent(sent: SentMark[]): Promise<void> | undefined;
  /** Likewise a claim (PgPipelineStore.carryClaim): its rows, or undefined when it was not made. */
  carryClaim(
    channel: ChannelName,
    limit: number,
    claimedBy: string,
    now: Date,
  ): Promise<OutboxMessage[] | undefined> | undefined;
}

export class PgOutboxQueue implements OutboxQueue {
  constructor(
    private readonly pool: pg.Pool,
    private readonly carrier?: SentCarrier,
  ) {}

  async claim(channel: ChannelName, limit: number, workerId: string, now: Date): Promise<OutboxMessage[]> {
    const claimedBy = `${workerId}:${randomUUID()}`;
    // While turns are being committed the claim goes with the next commit statement (no round trip
    // or commit of its own); on its failure, or with no commit coming, it is made here.
    const carried = await this.carrier?.carryClaim(channel, limit, claimedBy, now);
    const claimed = carried ?? (await this.rows('claim', [pgTime(now), claimedBy, channel, limit]));
    return claimed.sort(inClaimOrder);
  }

  async markSent(sent: SentMark[]): Promise<void> {
    if (sent.length === 0) return;
    // While turns are being committed the marks go with the next commit statement (no round trip or
    // commit of their own); on its failure, or with no commit coming, they are written here.
    const carried = this.carrier?.carrySent(sent);
    if (
      carried &&
      (await carried.then(
        () => true,
        () => false,
      ))
    )
      return;
    await this.rows('sent', [
      sent.map((mark) => mark.id),
      sent.map((mark) => pgTime(mark.at)),
      sent.map((mark) => mark.externalId ?? null),
    ]);
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.rows('settle', ['failed', error.slice(0, 1000), id]);
  }

  async markUnknown(id: number, reason: string): Promise<void> {
    await this.rows('settle', ['unknown', reason.slice(0, 1000), id]);
  }

  async requeue(id: number, notBefore: Date, error: string): Promise<void> {
    await this.rows('requeue', [pgTime(notBefore), error.slice(0, 1000), id]);
  }

  async postpone(id: number, notBefore: Date): Promise<void> {
    await this.rows('postpone', [pgTime(notBefore), id]);
  }

  expireStaleClaims(claimedBefore: Date): Promise<OutboxMessage[]> {
    return this.rows('expire', [pgTime(claimedBefore)]);
  }

  private async rows(name: keyof typeof SQL, values: unknown[]): Promise<OutboxMessage[]> {
    // The claim is prepared: its one sensible plan (the channel/status/priority/notBefore/id index,
    // which also gives the order) is the generic plan even when it is made while the outbox is empty, and
    // planning it cost about three times its run. The others are planned per run (see rowsOf): a
    // generic plan of the batched sent-mark made while the outbox was small joins by scanning it
    // whole, and keeps doing so as it grows until the next ANALYZE.
    const prepared = PREPARED.has(name) ? `outbox.${name}` : undefined;
    return (await rowsOf(this.pool, prepared, SQL[name], values)).map(readOutboxMessage);
  }
}
