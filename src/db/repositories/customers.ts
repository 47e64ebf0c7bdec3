import type { ChannelName } from '../../domain/channels.ts';
import { type ConsentDefault, consentOnFirstContact } from '../../domain/consent.ts';
import type { LifecycleStage, LocaleSource, TagSource, Tier } from '../../domain/customer.ts';
import { uncountedOrderStatuses } from '../../domain/orders.ts';
import type { Prisma } from '../../generated/sqlite/client.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Customer, Identity, JsonObject } from '../types.ts';
import { isUniqueViolation } from './errors.ts';

export type IdentityWithCustomer = Identity & { customer: Customer };

export interface CustomerPatch {
  name?: string | null;
  phone?: string | null;
  phoneVerifiedAt?: Date | null;
  email?: string | null;
  locale?: string | null;
  localeSource?: LocaleSource | null;
  languageStreak?: number;
  birthday?: string | null;
  tier?: Tier;
  tierSince?: Date | null;
  lifecycleStage?: LifecycleStage;
  marketingOptIn?: boolean;
  marketingOptOutAt?: Date | null;
  orderNotifications?: boolean;
  attributes?: JsonObject;
  referralCode?: string | null;
  referredById?: number | null;
  lastSeenAt?: Date;
}

type IdentityRow = Prisma.IdentityGetPayload<{ include: { customer: true } }>;

function identityWithCustomer({ customer, ...identity }: IdentityRow): IdentityWithCustomer {
  return { ...rows.identity(identity), customer: rows.customer(customer) };
}

export class CustomerRepository {
  constructor(
    private readonly db: PrismaTx,
    private readonly consentDefault: ConsentDefault = false,
  ) {}

  async findIdentity(channel: ChannelName, externalId: string): Promise<IdentityWithCustomer | null> {
    const found = await this.db.identity.findUnique({
      where: { channel_externalId: { channel, externalId } },
      include: { customer: true },
    });
    return found && identityWithCustomer(found);
  }

  /** Creates customer + identity; if another request created the identity first, returns that one. */
  async createWithIdentity(input: {
    channel: ChannelName;
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
              marketingOptIn: consentOnFirstContact(this.consentDefault, input.channel),
              firstSeenAt: input.at,
              lastSeenAt: input.at,
              createdAt: input.at,
            },
          },
        },
        include: { customer: true },
      });
      return { identity: identityWithCustomer(identity), created: true };
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
  async identify(channel: ChannelName, externalId: string, displayName: string | undefined, at: Date) {
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

  async addIdentity(
    customerId: number,
    channel: ChannelName,
    externalId: string,
    displayName?: string,
  ): Promise<Identity> {
    return rows.identity(
      await this.db.identity.create({ data: { customerId, channel, externalId, displayName: displayName ?? null } }),
    );
  }

  async updateIdentity(
    id: number,
    data: {
      alias?: string | null;
      displayName?: string | null;
      canMessage?: boolean;
      verifiedAt?: Date | null;
      /** Re-points the identity at another profile (a signed webchat identity moving a visitor). */
      customerId?: number;
    },
  ): Promise<Identity> {
    return rows.identity(await this.db.identity.update({ where: { id }, data }));
  }

  async findByIdentityAlias(channel: ChannelName, alias: string): Promise<IdentityWithCustomer | null> {
    const found = await this.db.identity.findFirst({ where: { channel, alias }, include: { customer: true } });
    return found && identityWithCustomer(found);
  }

  async get(id: number): Promise<Customer | null> {
    const found = await this.db.customer.findUnique({ where: { id } });
    return found && rows.customer(found);
  }

  async identities(customerId: number): Promise<Identity[]> {
    return (await this.db.identity.findMany({ where: { customerId }, orderBy: { id: 'asc' } })).map(rows.identity);
  }

  async update(id: number, patch: CustomerPatch): Promise<Customer> {
    return rows.customer(await this.db.customer.update({ where: { id }, data: patch }));
  }

  async create(data: { name?: string; phone?: string; locale?: string; at?: Date }): Promise<Customer> {
    return rows.customer(
      await this.db.customer.create({
        data: {
          name: data.name ?? null,
          phone: data.phone ?? null,
          locale: data.locale ?? null,
          marketingOptIn: consentOnFirstContact(this.consentDefault, null),
        },
      }),
    );
  }

  async tags(customerId: number): Promise<string[]> {
    const rows = await this.db.customerTag.findMany({ where: { customerId }, orderBy: { tag: 'asc' } });
    return rows.map((r) => r.tag);
  }

  /** Tags the customer at `at` (the app clock, as the pipeline's tags); an existing tag stays as it was. */
  async addTag(customerId: number, tag: string, source: TagSource, at: Date): Promise<void> {
    await this.db.customerTag.upsert({
      where: { customerId_tag: { customerId, tag } },
      create: { customerId, tag, source, createdAt: at },
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

  /** Marks a merged profile as a tombstone pointing at the survivor (its referral code is freed: codes are unique). */
  async markMerged(id: number, intoId: number | null, referralCode: string | null): Promise<Customer> {
    return rows.customer(
      await this.db.customer.update({ where: { id }, data: { mergedIntoId: intoId, referralCode } }),
    );
  }

  /** Whether a referral code is in use by any profile. */
  async referralCodeTaken(code: string): Promise<boolean> {
    return (await this.db.customer.count({ where: { referralCode: code } })) > 0;
  }

  /** Recomputes cached aggregates from their sources of truth (ledger, orders). */
  async refreshTotals(customerId: number): Promise<Customer> {
    const points = await this.db.pointsEntry.aggregate({ where: { customerId }, _sum: { amount: true } });
    const orders = await this.db.order.aggregate({
      where: { customerId, status: { notIn: [...uncountedOrderStatuses] } },
      _sum: { total: true, refundedAmount: true },
      _count: { _all: true },
      _min: { placedAt: true },
      _max: { placedAt: true },
    });
    const updated = await this.db.customer.update({
      where: { id: customerId },
      data: {
        pointsBalance: points._sum.amount ?? 0,
        totalSpent: (orders._sum.total ?? 0) - (orders._sum.refundedAmount ?? 0),
        orderCount: orders._count._all,
        firstOrderAt: orders._min.placedAt,
        lastOrderAt: orders._max.placedAt,
      },
    });
    return rows.customer(updated);
  }

  async list(options: { query?: string; take: number; skip: number }): Promise<Customer[]> {
    const q = options.query?.trim();
    const found = await this.db.customer.findMany({
      where: {
        mergedIntoId: null,
        ...(q ? { OR: [{ name: { contains: q } }, { phone: { contains: q } }] } : {}),
      },
      orderBy: { lastSeenAt: 'desc' },
      take: options.take,
      skip: options.skip,
    });
    return found.map(rows.customer);
  }
}
