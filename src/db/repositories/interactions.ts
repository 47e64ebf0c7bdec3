import type { InteractionChannel, InteractionDirection, InteractionKind } from '../../domain/interactions.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Interaction, JsonObject } from '../types.ts';

export interface NewInteraction {
  customerId: number;
  conversationId?: number | null;
  chatId?: number | null;
  channel: InteractionChannel;
  direction: InteractionDirection;
  kind: InteractionKind;
  text?: string | null;
  payload?: JsonObject;
  staffId?: number | null;
  at: Date;
}

export class InteractionRepository {
  constructor(private readonly db: PrismaTx) {}

  async append(entry: NewInteraction): Promise<Interaction> {
    const { at, payload, ...rest } = entry;
    return rows.interaction(
      await this.db.interaction.create({ data: { ...rest, ...(payload ? { payload } : {}), createdAt: at } }),
    );
  }

  async appendMany(entries: NewInteraction[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.interaction.createMany({
      data: entries.map(({ at, payload, ...rest }) => ({ ...rest, ...(payload ? { payload } : {}), createdAt: at })),
    });
  }

  async forCustomer(customerId: number, take = 50): Promise<Interaction[]> {
    return (await this.db.interaction.findMany({ where: { customerId }, orderBy: { id: 'desc' }, take })).map(
      rows.interaction,
    );
  }

  async forConversation(conversationId: number, take = 200): Promise<Interaction[]> {
    return (await this.db.interaction.findMany({ where: { conversationId }, orderBy: { id: 'asc' }, take })).map(
      rows.interaction,
    );
  }

  count(where: { customerId?: number; kind?: InteractionKind } = {}): Promise<number> {
    return this.db.interaction.count({ where });
  }
}
