import type { PrismaTx } from '../client.ts';
import type { Customer, Identity, JsonObject } from '../types.ts';
import { isUniqueViolation } from './errors.ts';

export type IdentityWithCustomer = Identity & { customer: Customer };

export interface CustomerPatch {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  locale?: string | null;
  localeSource?: string | null;
  languageStreak?: number;
  birthday?: string | null;
  tier?: string;
  tierSince?: Date | null;
  lifecycleStage?: string;
  marketingOptIn?: boolean;
  marketingOptOutAt?: Date | null;
  orderNotifications?: boolean;
  attributes?: JsonObject;
  referralCode?: string | null;
  referredById?: number | null;
  lastSeenAt?: Date;
}

export class CustomerRepository {
  constructor(private readonly db: PrismaTx) {}

  findIdentity(channel: string, externalId: string): Promise<IdentityWithCustomer | null> {
    return this.db.identity.findUnique({
      where: { channel_externalId: { channel, externalId } },
      include: { customer: true },
    });
  }

  /** Creates customer + identity; if another request created the identity first, returns that one. */
  async createWithIdentity(input: {
    channel: string;
    externalId: string;
    displayName?: string;
    at: Date;
  }): Promise<{ identity: IdentityWithCustomer; created: boolean }> {
    try {
      const identity = await this.db.identity.create({
        data: {
          channel: input.channel,
          externalId: input.externalId,
          displayName: input.displayName ?? null,
          createdAt: input.at,
          lastSeenAt: input.at,
          customer: {
            create: {
              name: input.displayName ?? null,
              firstSeenAt: input.at,
              lastSeenAt: input.at,
              createdAt: input.at,
            },
          },
        },
        include: { customer: true },
      });
      return { identity, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.findIdentity(input.channel, input.externalId);
      if (!existing) throw error;
      return { identity: existing, created: false };
    }
  }

  /**
   * The customer behind (channel, externalId), created on first contact; follows merges to the
   * survivor. Refreshes last-seen at most once a minute (or on rename): a write per message would
   * dominate the pipeline.
   */
  async identify(channel: string, externalId: string, displayName: string | undefined, at: Date) {
    const found = await this.findIdentity(channel, externalId);
    if (!found) {
      const { identity, created } = await this.createWithIdentity({ channel, externalId, displayName, at });
      return { identity, customer: await this.survivor(identity.customer), created };
    }
    const renamed = displayName !== undefined && displayName !== found.displayName;
    if (renamed || at.getTime() - found.lastSeenAt.getTime() > 60_000) {
      await this.touchIdentity(found.id, found.customerId, renamed ? displayName : undefined, at);
    }
    return { identity: found, customer: await this.survivor(found.customer), created: false };
  }

  /** Follows mergedIntoId to the surviving profile. */
  async survivor(customer: Customer): Promise<Customer> {
    let current = customer;
    for (let hops = 0; current.mergedIntoId !== null && hops < 10; hops++) {
      const next = await this.get(current.mergedIntoId);
      if (!next) break;
      current = next;
    }
    return current;
  }

  async touchIdentity(identityId: number, customerId: number, displayName: string | undefined, at: Date) {
    await this.db.identity.update({
      where: { id: identityId },
      data: { lastSeenAt: at, ...(displayName ? { displayName } : {}) },
    });
    await this.db.customer.update({ where: { id: customerId }, data: { lastSeenAt: at } });
  }

  addIdentity(customerId: number, channel: string, externalId: string, displayName?: string): Promise<Identity> {
    return this.db.identity.create({ data: { customerId, channel, externalId, displayName: displayName ?? null } });
  }

  updateIdentity(id: number, data: { alias?: string | null; displayName?: string | null; canMessage?: boolean }) {
    return this.db.identity.update({ where: { id }, data });
  }

  findByIdentityAlias(channel: string, alias: string): Promise<IdentityWithCustomer | null> {
    return this.db.identity.findFirst({ where: { channel, alias }, include: { customer: true } });
  }

  get(id: number): Promise<Customer | null> {
    return this.db.customer.findUnique({ where: { id } });
  }

  identities(customerId: number): Promise<Identity[]> {
    return this.db.identity.findMany({ where: { customerId }, orderBy: { id: 'asc' } });
  }

  update(id: number, patch: CustomerPatch): Promise<Customer> {
    return this.db.customer.update({ where: { id }, data: patch });
  }

  create(data: { name?: string; phone?: string; locale?: string; at?: Date }): Promise<Customer> {
    return this.db.customer.create({
      data: { name: data.name ?? null, phone: data.phone ?? null, locale: data.locale ?? null },
    });
  }

  async tags(customerId: number): Promise<string[]> {
    const rows = await this.db.customerTag.findMany({ where: { customerId }, orderBy: { tag: 'asc' } });
    return rows.map((r) => r.tag);
  }

  async addTag(customerId: number, tag: string, source: string): Promise<void> {
    await this.db.customerTag.upsert({
      where: { customerId_tag: { customerId, tag } },
      create: { customerId, tag, source },
      update: {},
    });
  }

  async removeTag(customerId: number, tag: string): Promise<void> {
    await this.db.customerTag.deleteMany({ where: { customerId, tag } });
  }

  addNote(customerId: number, text: string, staffId: number | null, at: Date) {
    return this.db.customerNote.create({ data: { customerId, text, staffId, createdAt: at } });
  }

  notes(customerId: number) {
    return this.db.customerNote.findMany({ where: { customerId }, orderBy: { id: 'desc' }, take: 50 });
  }

  /** Moves everything owned by `mergedId` to `survivorId` and leaves a tombstone pointing at the survivor. */
  async moveAll(survivorId: number, mergedId: number): Promise<void> {
    const from = { customerId: mergedId };
    const to = { customerId: survivorId };
    await this.db.identity.updateMany({ where: from, data: to });
    await this.db.interaction.updateMany({ where: from, data: to });
    await this.db.order.updateMany({ where: from, data: to });
    await this.db.pointsEntry.updateMany({ where: from, data: to });
    await this.db.conversation.updateMany({ where: from, data: to });
    await this.db.case.updateMany({ where: from, data: to });
    await this.db.redemption.updateMany({ where: from, data: to });
    await this.db.surveyResponse.updateMany({ where: from, data: to });
    await this.db.delivery.updateMany({ where: from, data: to });
    await this.db.customerNote.updateMany({ where: from, data: to });
    await this.db.checkIn.deleteMany({ where: from });
    for (const tag of await this.db.customerTag.findMany({ where: from })) {
      await this.addTag(survivorId, tag.tag, tag.source);
    }
    await this.db.customerTag.deleteMany({ where: from });
    for (const member of await this.db.chatMember.findMany({ where: from })) {
      await this.db.chatMember.upsert({
        where: { chatId_customerId: { chatId: member.chatId, customerId: survivorId } },
        create: { chatId: member.chatId, customerId: survivorId, joinedAt: member.joinedAt },
        update: {},
      });
    }
    await this.db.chatMember.deleteMany({ where: from });
    // Conversations are keyed by customer+chat while live; the moved ones get their key recomputed.
    const live = await this.db.conversation.findMany({ where: { customerId: survivorId, activeKey: { not: null } } });
    for (const conversation of live) {
      const key = `${survivorId}:${conversation.chatId}`;
      if (conversation.activeKey === key) continue;
      const clash = await this.db.conversation.findUnique({ where: { activeKey: key } });
      await this.db.conversation.update({
        where: { id: conversation.id },
        data: clash ? { activeKey: null, status: 'resolved', resolvedAt: new Date() } : { activeKey: key },
      });
    }
    await this.db.customer.update({ where: { id: mergedId }, data: { mergedIntoId: survivorId, referralCode: null } });
  }

  /** Recomputes cached aggregates from their sources of truth (ledger, orders). */
  async refreshTotals(customerId: number): Promise<Customer> {
    const points = await this.db.pointsEntry.aggregate({ where: { customerId }, _sum: { amount: true } });
    const orders = await this.db.order.aggregate({
      where: { customerId, status: { notIn: ['cancelled', 'pending_payment'] } },
      _sum: { total: true, refundedAmount: true },
      _count: { _all: true },
      _min: { placedAt: true },
      _max: { placedAt: true },
    });
    return this.db.customer.update({
      where: { id: customerId },
      data: {
        pointsBalance: points._sum.amount ?? 0,
        totalSpent: (orders._sum.total ?? 0) - (orders._sum.refundedAmount ?? 0),
        orderCount: orders._count._all,
        firstOrderAt: orders._min.placedAt,
        lastOrderAt: orders._max.placedAt,
      },
    });
  }

  list(options: { query?: string; take: number; skip: number }) {
    const q = options.query?.trim();
    return this.db.customer.findMany({
      where: {
        mergedIntoId: null,
        ...(q ? { OR: [{ name: { contains: q } }, { phone: { contains: q } }] } : {}),
      },
      orderBy: { lastSeenAt: 'desc' },
      take: options.take,
      skip: options.skip,
    });
  }
}
