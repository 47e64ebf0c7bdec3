import type { Customer, JsonObject } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import type { ChannelName } from '../domain/channels.ts';
import type { TagSource } from '../domain/customer.ts';
import { CustomerUpdate } from '../domain/customer-input.ts';
import { ForbiddenError, NotFoundError } from '../domain/errors.ts';
import { maskPhone } from '../kernel/privacy.ts';
import { audit, audited } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { assertCustomerInScope, customerFor, isAdmin, isAgent, requireAdminActor } from './customer-access.ts';
import { recordEvent } from './profile-events.ts';

export class CustomerService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Finds the customer behind (channel, externalId), creating both on first contact. */
  identify(channel: ChannelName, externalId: string, displayName: string | undefined) {
    return this.deps.store.repos.customers.identify(channel, externalId, displayName, this.deps.clock.now());
  }

  /**
   * One page of customers (most recently seen first), optionally matching `query` in name or phone.
   * Admins only: browsing or searching every customer is outside an agent's scope.
   */
  list(page: { take: number; skip: number; query?: string }, actor: Actor) {
    requireAdminActor(actor, 'listing and searching customers');
    return this.deps.store.repos.customers.list(page);
  }

  /** The customer as this staff member may reach them (agents: through their conversations, else not found). */
  async getFor(id: number, actor: Actor): Promise<Customer> {
    const customer = await this.get(id);
    await assertCustomerInScope(this.deps.store.repos, actor, customer.id);
    return customer;
  }

  /** The full phone number for an agent who needs it (to call the customer): audited. */
  async revealPhone(id: number, actor: Actor): Promise<{ phone: string | null }> {
    const customer = await this.getFor(id, actor);
    await this.deps.store.transaction((repos) =>
      audit(repos, this.deps.clock.now(), {
        actor,
        action: 'customer.reveal',
        entity: 'customer',
        entityId: customer.id,
        details: { field: 'phone' },
      }),
    );
    return { phone: customer.phone };
  }

  tags(customerId: number): Promise<string[]> {
    return this.deps.store.repos.customers.tags(customerId);
  }

  async get(id: number): Promise<Customer> {
    const customer = await this.deps.store.repos.customers.get(id);
    if (!customer) throw new NotFoundError(`customer ${id}`);
    return this.deps.store.repos.customers.survivor(customer);
  }

  async update(id: number, input: CustomerUpdate, actor: Actor): Promise<Customer> {
    const patch = CustomerUpdate.parse(input);
    assertMayChange(patch, actor);
    await this.getFor(id, actor);
    const updated = await this.deps.store.transaction(async (repos) => {
      const before = await repos.customers.get(id);
      if (!before) throw new NotFoundError(`customer ${id}`);
      const { attributes, ...rest } = patch;
      const merged: JsonObject | undefined = attributes
        ? { ...objectOrEmpty(before.attributes), ...attributes }
        : undefined;
      const customer = await repos.customers.update(id, {
        ...rest,
        // A language set here is a choice (staff's or the customer's), not inferred from use.
        ...(patch.locale !== undefined ? { localeSource: null, languageStreak: 0 } : {}),
        ...(merged ? { attributes: merged } : {}),
        ...(patch.marketingOptIn === false ? { marketingOptOutAt: this.deps.clock.now() } : {}),
        ...(patch.marketingOptIn === true ? { marketingOptOutAt: null } : {}),
      });
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'customer.update',
        entity: 'customer',
        entityId: id,
        details: { fields: Object.keys(patch), ...(patch.phone ? { phone: maskPhone(patch.phone) } : {}) },
      });
      return customer;
    });
    return customerFor(actor, updated);
  }

  /** Consent changes: only the customer grants it; staff may not undo a customer's 退订. */
  async setMarketingConsent(customerId: number, optIn: boolean, actor: Actor, via: ChannelName): Promise<Customer> {
    if (optIn && actor.type !== 'customer') throw new ForbiddenError('only the customer can subscribe');
    const now = this.deps.clock.now();
    const action = optIn ? 'consent.opt_in' : 'consent.opt_out';
    return this.deps.store.transaction(async (repos) => {
      const customer = await repos.customers.update(customerId, {
        marketingOptIn: optIn,
        marketingOptOutAt: optIn ? null : now,
      });
      await recordEvent(repos, now, {
        customerId,
        channel: via,
        text: optIn ? 'marketing opt-in' : 'marketing opt-out',
        event: { type: action, via },
      });
      await audit(repos, now, { actor, action, entity: 'customer', entityId: customerId, details: { via } });
      return customer;
    });
  }

  async addTag(customerId: number, tag: string, actor: Actor, source: TagSource = 'staff'): Promise<void> {
    const clean = tag.trim().slice(0, 64);
    if (!clean) return;
    await assertCustomerInScope(this.deps.store.repos, actor, customerId);
    await this.deps.store.transaction(async (repos) => {
      await repos.customers.addTag(customerId, clean, source, this.deps.clock.now());
      if (actor.type !== 'system') {
        await audit(repos, this.deps.clock.now(), {
          actor,
          action: 'customer.tag',
          entity: 'customer',
          entityId: customerId,
          details: { tag: clean },
        });
      }
    });
  }

  async removeTag(customerId: number, tag: string, actor: Actor): Promise<void> {
    await assertCustomerInScope(this.deps.store.repos, actor, customerId);
    await audited(
      this.deps,
      actor,
      (repos) => repos.customers.removeTag(customerId, tag),
      () => ({ action: 'customer.untag', entity: 'customer', entityId: customerId, details: { tag } }),
    );
  }

  async addNote(customerId: number, text: string, actor: Actor) {
    await assertCustomerInScope(this.deps.store.repos, actor, customerId);
    return audited(
      this.deps,
      actor,
      (repos) =>
        repos.customers.addNote(
          customerId,
          text.slice(0, 4000),
          actor.type === 'staff' ? actor.staffId : null,
          this.deps.clock.now(),
        ),
      () => ({ action: 'customer.note', entity: 'customer', entityId: customerId }),
    );
  }

  /**
   * The full profile as this staff member may see it (agents: only customers in their scope, the
   * phone masked), with the names of the staff and products it mentions.
   */
  async profile(id: number, actor: Actor) {
    const customer = customerFor(actor, await this.getFor(id, actor));
    const { repos } = this.deps.store;
    const [identities, tags, notes, orders, cases, points, interactions, conversations, surveys, staff] =
      await Promise.all([
        repos.customers.identities(customer.id),
        repos.customers.tags(customer.id),
        repos.customers.notes(customer.id),
        repos.orders.forCustomer(customer.id, 20),
        repos.cases.forCustomer(customer.id, 20),
        repos.points.forCustomer(customer.id, 20),
        repos.interactions.forCustomer(customer.id, 50),
        repos.conversations.forCustomer(customer.id, 10),
        repos.surveys.forCustomer(customer.id, 20),
        repos.staff.list(),
      ]);
    const skus = new Set(tags.flatMap((tag) => (tag.startsWith('interest:') ? [tag.slice('interest:'.length)] : [])));
    for (const i of interactions) for (const sku of skusOf(i.payload)) skus.add(sku);
    const products = await repos.catalog.productsBySku([...skus]);
    const staffNames = new Map(staff.map((s) => [s.id, s.name]));
    return {
      customer,
      identities,
      tags,
      notes: notes.map((note) => ({
        ...note,
        staffName: note.staffId ? (staffNames.get(note.staffId) ?? null) : null,
      })),
      orders,
      cases,
      points,
      interactions,
      conversations,
      surveys,
      products,
    };
  }
}

/** The fields an agent may edit; consent only ever withdrawn by staff, and only by an admin. */
const agentFields = new Set<string>(['name', 'phone']);

function assertMayChange(patch: CustomerUpdate, actor: Actor): void {
  if (patch.marketingOptIn === true) throw new ForbiddenError('only the customer can subscribe');
  if (isAdmin(actor) || !isAgent(actor)) return;
  const refused = Object.keys(patch).filter((field) => !agentFields.has(field));
  if (refused.length > 0) throw new ForbiddenError(`agents may not change ${refused.join(', ')}`);
}

export function objectOrEmpty(value: unknown): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: JsonObject = {};
  for (const [key, entry] of Object.entries(value)) {
    if (isJsonValue(entry)) out[key] = entry;
  }
  return out;
}

function isJsonValue(value: unknown): value is JsonObject[string] {
  return ['string', 'number', 'boolean'].includes(typeof value) || value === null || typeof value === 'object';
}

/** The SKUs a pre-sale question event was about. */
export function skusOf(payload: unknown): string[] {
  if (typeof payload !== 'object' || payload === null || !('skus' in payload) || !Array.isArray(payload.skus))
    return [];
  return payload.skus.filter((sku): sku is string => typeof sku === 'string');
}
