import type { PrismaTx } from '../client.ts';
import type { Chat } from '../types.ts';
import { isUniqueViolation } from './errors.ts';

export class ChatRepository {
  constructor(private readonly db: PrismaTx) {}

  find(channel: string, externalId: string): Promise<Chat | null> {
    return this.db.chat.findUnique({ where: { channel_externalId: { channel, externalId } } });
  }

  get(id: number): Promise<Chat | null> {
    return this.db.chat.findUnique({ where: { id } });
  }

  async ensure(input: { channel: string; externalId: string; kind: string; title?: string }): Promise<Chat> {
    const existing = await this.find(input.channel, input.externalId);
    if (existing) {
      if (input.title && existing.title !== input.title) {
        return this.db.chat.update({ where: { id: existing.id }, data: { title: input.title } });
      }
      return existing;
    }
    try {
      return await this.db.chat.create({
        data: { channel: input.channel, externalId: input.externalId, kind: input.kind, title: input.title ?? null },
      });
    } catch (error) {
      const raced = isUniqueViolation(error) ? await this.find(input.channel, input.externalId) : null;
      if (!raced) throw error;
      return raced;
    }
  }

  async addMember(chatId: number, customerId: number): Promise<void> {
    await this.db.chatMember.upsert({
      where: { chatId_customerId: { chatId, customerId } },
      create: { chatId, customerId },
      update: {},
    });
  }

  groupsOf(customerId: number) {
    return this.db.chatMember.findMany({ where: { customerId }, include: { chat: true } });
  }
}
