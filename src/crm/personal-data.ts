// PIPL rights (个人信息保护法): a customer's data as one document (access and portability) and its
// erasure. Both are admin actions and audited; erasure is idempotent, keeps amounts (orders, points,
// redemptions) so the shop's books still add up, and detaches the identities, so the same person
// writing again is a new customer.
import type { Actor } from '../domain/audit.ts';
import { NotFoundError } from '../domain/errors.ts';
import { ConsentChanged } from '../domain/profile-events.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';

function consentEvent(payload: unknown) {
  const parsed = ConsentChanged.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

export class PersonalDataService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Everything stored about the customer, keyed as the contract says (ARCHITECTURE.md §10). */
  async export(customerId: number, actor: Actor) {
    return this.deps.store.transaction(async (repos) => {
      const all = await repos.personalData.everything(customerId);
      const { customer } = all;
      if (!customer) throw new NotFoundError(`customer ${customerId}`);
      const consents = {
        marketingOptIn: customer.marketingOptIn,
        marketingOptOutAt: customer.marketingOptOutAt,
        orderNotifications: customer.orderNotifications,
        history: all.interactions.flatMap((row) => {
          const event = consentEvent(row.payload);
          return event ? [{ at: row.createdAt, change: event.type, via: event.via }] : [];
        }),
      };
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'customer.export',
        entity: 'customer',
        entityId: customerId,
      });
      return {
        customer: { ...customer, tags: all.tags.map((t) => t.tag), notes: all.notes },
        identities: all.identities,
        consents,
        interactions: all.interactions,
        orders: all.orders,
        cases: all.cases,
        surveys: all.surveys,
        pointsLedger: all.pointsLedger,
        redemptions: all.redemptions,
      };
    });
  }

  /** Erases the customer's personal data; a second call changes nothing and answers the same. */
  async erase(customerId: number, actor: Actor): Promise<{ id: number; erasedAt: Date }> {
    return this.deps.store.transaction(async (repos) => {
      const customer = await repos.customers.get(customerId);
      if (!customer) throw new NotFoundError(`customer ${customerId}`);
      if (customer.erasedAt) return { id: customerId, erasedAt: customer.erasedAt };
      const now = this.deps.clock.now();
      await repos.personalData.erase(customerId, now);
      // Written after the scrub of this customer's audit details, and holding none itself.
      await audit(repos, now, { actor, action: 'customer.erase', entity: 'customer', entityId: customerId });
      return { id: customerId, erasedAt: now };
    });
  }
}
