import type { ChannelName } from '../../domain/channels.ts';
import { type OutboxMeta, type OutboxPurpose, OutboxStatus, outboxPriority } from '../../domain/outbox.ts';
import type { PrismaTx } from '../client.ts';
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
  constructor(private readonly db: PrismaTx) {}

  async enqueue(messages: NewOutboxMessage[]): Promise<OutboxMessage[]> {
    if (messages.length === 0) return [];
    const created = await this.db.outboxMessage.createManyAndReturn({
      data: messages.map(({ buttons, meta, ...rest }) => ({
        ...rest,
        priority: outboxPriority(rest.purpose),
        ...(buttons === undefined || buttons === null ? {} : { buttons }),
        ...(meta ? { meta } : {}),
      })),
    });
    return created.map(rows.outboxMessage);
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
