// Binding codes and the attempts to use them (src/crm/binding.ts holds the rules).
import { ChannelName } from '../../domain/channels.ts';
import type { PrismaTx } from '../client.ts';

export interface LiveBindingCode {
  id: number;
  customerId: number;
  channel: ChannelName;
  externalId: string;
}

export class BindingRepository {
  constructor(private readonly db: PrismaTx) {}

  /** Whether an unused, unexpired code has this hash (a fresh code must not collide with one). */
  async live(codeHash: string, at: Date): Promise<LiveBindingCode | null> {
    const found = await this.db.bindingCode.findFirst({
      where: { codeHash, usedAt: null, expiresAt: { gt: at } },
      orderBy: { id: 'desc' },
    });
    return (
      found && {
        id: found.id,
        customerId: found.customerId,
        channel: ChannelName.parse(found.channel),
        externalId: found.externalId,
      }
    );
  }

  /** Issues a code; the customer's earlier unused codes stop working. */
  async issue(input: {
    customerId: number;
    channel: ChannelName;
    externalId: string;
    codeHash: string;
    expiresAt: Date;
    at: Date;
  }) {
    await this.db.bindingCode.updateMany({
      where: { customerId: input.customerId, usedAt: null, expiresAt: { gt: input.at } },
      data: { expiresAt: input.at },
    });
    const { at, ...data } = input;
    await this.db.bindingCode.create({ data: { ...data, createdAt: at } });
  }

  /** Marks a code used; false when another request used it first. */
  async use(id: number, at: Date): Promise<boolean> {
    const { count } = await this.db.bindingCode.updateMany({ where: { id, usedAt: null }, data: { usedAt: at } });
    return count === 1;
  }

  issuedSince(customerId: number, since: Date): Promise<number> {
    return this.db.bindingCode.count({ where: { customerId, createdAt: { gte: since } } });
  }

  async recordAttempt(customerId: number, ok: boolean, at: Date): Promise<void> {
    await this.db.bindingAttempt.create({ data: { customerId, ok, createdAt: at } });
  }

  /** Failed attempts since `since`: of one customer, or of everyone. */
  failedSince(since: Date, customerId?: number): Promise<number> {
    return this.db.bindingAttempt.count({
      where: { ok: false, createdAt: { gte: since }, ...(customerId === undefined ? {} : { customerId }) },
    });
  }
}
