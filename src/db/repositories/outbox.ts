import { randomUUID } from 'node:crypto';
import type { ChannelName } from '../../domain/channels.ts';
import { type OutboxMeta, type OutboxPurpose, OutboxStatus } from '../../domain/outbox.ts';
import type { PrismaTx } from '../client.ts';
import type { SentMark } from '../outbox-queue.ts';
import { rows } from '../rows.ts';
import type { JsonValue, OutboxMessage } from '../types.ts';

export interface NewOutboxMessage {
  channel: ChannelName;
  chatExternalId: string;
  customerId?: number | null;
  conversationId?: number | null;
  purpose: OutboxPurpose;
  sourceKey?: string | null;
  text: string;
  buttons?: JsonValue;
  meta?: OutboxMeta;
  notBefore: Date;
  createdAt: Date;
}

export class OutboxRepository {
  constructor(
    private readonly db: PrismaTx,
    private readonly provider: 'sqlite' | 'postgresql',
  ) {}

  async enqueue(messages: NewOutboxMessage[]): Promise<OutboxMessage[]> {
    if (messages.length === 0) return [];
    const created = await this.db.outboxMessage.createManyAndReturn({
      data: messages.map(({ buttons, meta, ...rest }) => ({
        ...rest,
        ...(buttons === undefined || buttons === null ? {} : { buttons }),
        ...(meta ? { meta } : {}),
      })),
    });
    return created.map(rows.outboxMessage);
  }

  /**
   * Atomically moves up to `limit` due rows of `channel` from queued to sending for this worker.
   * A row is claimed by exactly one worker, also with several instances on PostgreSQL.
   */
  async claim(channel: ChannelName, limit: number, workerId: string, now: Date): Promise<OutboxMessage[]> {
    const token = `${workerId}:${randomUUID()}`;
    if (this.provider === 'postgresql') {
      await this.db.$executeRawUnsafe(
        `UPDATE "OutboxMessage" SET "status" = 'sending', "claimedAt" = $1, "claimedBy" = $2, "attempts" = "attempts" + 1
         WHERE "id" IN (SELECT "id" FROM "OutboxMessage" WHERE "status" = 'queued' AND "channel" = $3 AND "notBefore" <= $1
                        ORDER BY "id" LIMIT $4 FOR UPDATE SKIP LOCKED)`,
        now,
        token,
        channel,
        limit,
      );
    } else {
      // One statement, so it is atomic in SQLite. DateTime columns hold ISO-8601 text as the Prisma
      // adapter writes it (…T04:00:00.000+00:00); the same format keeps text comparison correct.
      const at = sqliteTimestamp(now);
      await this.db.$executeRawUnsafe(
        `UPDATE "OutboxMessage" SET "status" = 'sending', "claimedAt" = ?, "claimedBy" = ?, "attempts" = "attempts" + 1
         WHERE "id" IN (SELECT "id" FROM "OutboxMessage" WHERE "status" = 'queued' AND "channel" = ? AND "notBefore" <= ?
                        ORDER BY "id" LIMIT ?)`,
        at,
        token,
        channel,
        at,
        limit,
      );
    }
    const claimed = await this.db.outboxMessage.findMany({
      where: { claimedBy: token, status: 'sending' },
      orderBy: { id: 'asc' },
    });
    return claimed.map(rows.outboxMessage);
  }

  async markSent(sent: SentMark[]): Promise<void> {
    for (const { id, at, externalId } of sent) {
      await this.db.outboxMessage.update({
        where: { id },
        data: { status: 'sent', sentAt: at, externalId: externalId ?? null },
      });
    }
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.db.outboxMessage.update({ where: { id }, data: { status: 'failed', error: error.slice(0, 1000) } });
  }

  async markUnknown(id: number, reason: string): Promise<void> {
    await this.db.outboxMessage.update({ where: { id }, data: { status: 'unknown', error: reason.slice(0, 1000) } });
  }

  /** Puts a claimed row back in the queue (a send that certainly did not happen). */
  async requeue(id: number, notBefore: Date, error: string): Promise<void> {
    await this.db.outboxMessage.update({
      where: { id },
      data: { status: 'queued', notBefore, claimedBy: null, claimedAt: null, error: error.slice(0, 1000) },
    });
  }

  /** Delays queued rows (pacing) without claiming them. */
  async postpone(id: number, notBefore: Date): Promise<void> {
    await this.db.outboxMessage.update({ where: { id }, data: { status: 'queued', notBefore, claimedBy: null } });
  }

  /**
   * Rows left in `sending` by a worker that died: the send may or may not have reached the
   * platform, so they become `unknown` and are reported, never re-sent.
   */
  async expireStaleClaims(claimedBefore: Date): Promise<OutboxMessage[]> {
    const stale = await this.db.outboxMessage.findMany({
      where: { status: 'sending', claimedAt: { lt: claimedBefore } },
    });
    if (stale.length === 0) return [];
    await this.db.outboxMessage.updateMany({
      where: { id: { in: stale.map((r) => r.id) }, status: 'sending' },
      data: { status: 'unknown', error: 'worker stopped after claiming; delivery unknown' },
    });
    return stale.map(rows.outboxMessage);
  }

  async get(id: number): Promise<OutboxMessage | null> {
    const found = await this.db.outboxMessage.findUnique({ where: { id } });
    return found && rows.outboxMessage(found);
  }

  async byIds(ids: number[]): Promise<OutboxMessage[]> {
    if (ids.length === 0) return [];
    return (await this.db.outboxMessage.findMany({ where: { id: { in: ids } } })).map(rows.outboxMessage);
  }

  async bySource(sourceKey: string): Promise<OutboxMessage[]> {
    return (await this.db.outboxMessage.findMany({ where: { sourceKey }, orderBy: { id: 'asc' } })).map(
      rows.outboxMessage,
    );
  }

  async forChat(channel: ChannelName, chatExternalId: string, afterId: number, take: number): Promise<OutboxMessage[]> {
    const found = await this.db.outboxMessage.findMany({
      where: { channel, chatExternalId, id: { gt: afterId }, status: 'sent' },
      orderBy: { id: 'asc' },
      take,
    });
    return found.map(rows.outboxMessage);
  }

  countSentSince(channel: ChannelName, since: Date): Promise<number> {
    const mayHaveArrived: OutboxStatus[] = ['sent', 'unknown'];
    return this.db.outboxMessage.count({
      where: { channel, status: { in: mayHaveArrived }, sentAt: { gte: since } },
    });
  }

  async countByStatus(channel?: ChannelName): Promise<Array<{ status: OutboxStatus; count: number }>> {
    const groups = await this.db.outboxMessage.groupBy({
      by: ['status'],
      where: channel ? { channel } : {},
      _count: { _all: true },
    });
    return groups.map((group) => ({ status: OutboxStatus.parse(group.status), count: group._count._all }));
  }
}

/** The text form the SQLite driver adapter stores DateTime values in. */
export function sqliteTimestamp(at: Date): string {
  return at.toISOString().replace('Z', '+00:00');
}
