import type { ChannelName, ChatKind } from '../../domain/channels.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Chat } from '../types.ts';
import { isUniqueViolation } from './errors.ts';

export class ChatRepository {
  constructor(private readonly db: PrismaTx) {}

  async find(channel: ChannelName, externalId: string): Promise<Chat | null> {
    const found = await this.db.chat.findUnique({ where: { channel_externalId: { channel, externalId } } });
    return found && rows.chat(found);
  }

  async get(id: number): Promise<Chat | null> {
    const found = await this.db.chat.findUnique({ where: { id } });
    return found && rows.chat(found);
  }

  async ensure(input: { channel: ChannelName; externalId: string; kind: ChatKind; title?: string }): Promise<Chat> {
    const existing = await this.find(input.channel, input.externalId);
    if (existing) {
      if (input.title && existing.title !== input.title) {
        return rows.chat(await this.db.chat.update({ where: { id: existing.id }, data: { title: input.title } }));
      }
      return existing;
    }
    try {
      const created = await this.db.chat.create({
        data: { channel: input.channel, externalId: input.externalId, kind: input.kind, title: input.title ?? null },
      });
      return rows.chat(created);
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

  async groupsOf(customerId: number) {
    const found = await this.db.chatMember.findMany({ where: { customerId }, include: { chat: true } });
    return found.map(({ chat, ...member }) => ({ ...member, chat: rows.chat(chat) }));
  }
}
