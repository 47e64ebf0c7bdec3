// The outbox sender's claim/mark cycle as prepared statements on SQLite (see pipeline-store.ts for
// why this has its own connection and how the gate keeps it safe).
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ChannelName } from '../../domain/channels.ts';
import { outboxPriorities } from '../../domain/outbox.ts';
import { type Row, readOutboxMessage } from '../hot/rows.ts';
import { timestamp } from '../hot/values.ts';
import type { OutboxQueue, SentMark } from '../outbox-queue.ts';
import type { ReadWriteGate } from '../rw-lock.ts';
import type { OutboxMessage } from '../types.ts';
import type { WriteBatch } from './write-batch.ts';

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null;

/** RETURNING gives rows in no set order: back to the claim's (due time, then id). */
const inClaimOrder = (a: OutboxMessage, b: OutboxMessage) =>
  a.notBefore.getTime() - b.notBefore.getTime() || a.id - b.id;

export class SqliteOutboxQueue implements OutboxQueue {
  private readonly sql;

  constructor(
    db: Database.Database,
    private readonly gate: ReadWriteGate,
    private readonly batch: WriteBatch,
  ) {
    this.sql = {
      // One priority at a time, due rows in due-time order: the (channel, status, priority,
      // notBefore, id) index hands them over in that order, so a claim reads only the rows it takes
      // however many are queued (sorting every due row of a backlog cost milliseconds a claim).
      claim: db.prepare(
        `UPDATE "OutboxMessage" SET "status" = 'sending', "claimedAt" = ?, "claimedBy" = ?, "attempts" = "attempts" + 1
         WHERE "id" IN (SELECT "id" FROM "OutboxMessage" WHERE "channel" = ? AND "status" = 'queued' AND "priority" = ?
                        AND "notBefore" <= ? ORDER BY "notBefore", "id" LIMIT ?) RETURNING *`,
      ),
      sent: db.prepare(`UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ?, "externalId" = ? WHERE "id" = ?`),
      settle: db.prepare(`UPDATE "OutboxMessage" SET "status" = ?, "error" = ? WHERE "id" = ?`),
      requeue: db.prepare(
        `UPDATE "OutboxMessage" SET "status" = 'queued', "notBefore" = ?, "claimedBy" = NULL, "claimedAt" = NULL, "error" = ? WHERE "id" = ?`,
      ),
      postpone: db.prepare(
        `UPDATE "OutboxMessage" SET "status" = 'queued', "notBefore" = ?, "claimedBy" = NULL WHERE "id" = ?`,
      ),
      expire: db.prepare(
        `UPDATE "OutboxMessage" SET "status" = 'unknown', "error" = 'worker stopped after claiming; delivery unknown'
         WHERE "status" = 'sending' AND "claimedAt" < ? RETURNING *`,
      ),
    };
  }

  claim(channel: ChannelName, limit: number, workerId: string, now: Date): Promise<OutboxMessage[]> {
    const at = timestamp(now);
    // In the write batch: a claim shares the commit of the pipeline writes of the same turn.
    return this.batch.run(() => {
      const claimedBy = `${workerId}:${randomUUID()}`;
      const claimed: OutboxMessage[] = [];
      for (const priority of outboxPriorities) {
        if (claimed.length >= limit) break;
        const rows = this.sql.claim.all(at, claimedBy, channel, priority, at, limit - claimed.length);
        claimed.push(...rows.filter(isRow).map(readOutboxMessage).sort(inClaimOrder));
      }
      return claimed;
    });
  }

  markSent(sent: SentMark[]): Promise<void> {
    return this.batch.run(() => {
      for (const { id, at, externalId } of sent) this.sql.sent.run(timestamp(at), externalId ?? null, id);
    });
  }

  markFailed(id: number, error: string): Promise<void> {
    return this.run(() => void this.sql.settle.run('failed', error.slice(0, 1000), id));
  }

  markUnknown(id: number, reason: string): Promise<void> {
    return this.run(() => void this.sql.settle.run('unknown', reason.slice(0, 1000), id));
  }

  requeue(id: number, notBefore: Date, error: string): Promise<void> {
    return this.run(() => void this.sql.requeue.run(timestamp(notBefore), error.slice(0, 1000), id));
  }

  postpone(id: number, notBefore: Date): Promise<void> {
    return this.run(() => void this.sql.postpone.run(timestamp(notBefore), id));
  }

  expireStaleClaims(claimedBefore: Date): Promise<OutboxMessage[]> {
    return this.run(() => this.sql.expire.all(timestamp(claimedBefore)).filter(isRow).map(readOutboxMessage));
  }

  /** Each statement is atomic on its own; the gate keeps it out of any open ORM transaction. */
  private run<T>(work: () => T): Promise<T> {
    return this.gate.exclusiveSync(() => work());
  }
}
