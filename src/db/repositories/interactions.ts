import type { PrismaTx } from '../client.ts';
import type { Interaction, JsonObject } from '../types.ts';

export interface NewInteraction {
  customerId: number;
  conversationId?: number | null;
  chatId?: number | null;
  channel: string;
  direction: 'in' | 'out' | 'event';
  kind: string;
  text?: string | null;
  payload?: JsonObject;
  staffId?: number | null;
  at: Date;
}

export class InteractionRepository {
  constructor(private readonly db: PrismaTx) {}

  append(entry: NewInteraction): Promise<Interaction> {
    const { at, payload, ...rest } = entry;
    return this.db.interaction.create({ data: { ...rest, ...(payload ? { payload } : {}), createdAt: at } });
  }

  async appendMany(entries: NewInteraction[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.interaction.createMany({
      data: entries.map(({ at, payload, ...rest }) => ({ ...rest, ...(payload ? { payload } : {}), createdAt: at })),
    });
  }

  forCustomer(customerId: number, take = 50): Promise<Interaction[]> {
    return this.db.interaction.findMany({ where: { customerId }, orderBy: { id: 'desc' }, take });
  }

  forConversation(conversationId: number, take = 200): Promise<Interaction[]> {
    return this.db.interaction.findMany({ where: { conversationId }, orderBy: { id: 'asc' }, take });
  }

  count(where: { customerId?: number; kind?: string } = {}): Promise<number> {
    return this.db.interaction.count({ where });
  }
}
