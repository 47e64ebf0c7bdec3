// What the outbox sender needs from the database: prepared statements per dialect
// (sqlite-fast/outbox-queue.ts, pg-fast/outbox-queue.ts); the repository only enqueues and reads.
import type { ChannelName } from '../domain/channels.ts';
import type { OutboxMessage } from './types.ts';

export interface SentMark {
  id: number;
  at: Date;
  externalId?: string;
}

export interface OutboxQueue {
  claim(channel: ChannelName, limit: number, workerId: string, now: Date): Promise<OutboxMessage[]>;
  /** Marks rows sent, many at once (one transaction). */
  markSent(sent: SentMark[]): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  markUnknown(id: number, reason: string): Promise<void>;
  requeue(id: number, notBefore: Date, error: string): Promise<void>;
  postpone(id: number, notBefore: Date): Promise<void>;
  expireStaleClaims(claimedBefore: Date): Promise<OutboxMessage[]>;
}
