// Reads a busy chat makes on many turns: the orders menu, the points overview, and whether a user who
// just (re)opened the chat (Telegram /start) is already marked reachable. On SQLite they
// run as prepared statements (sqlite-fast/hot-reads.ts) because the ORM costs about half a
// millisecond per query there; elsewhere, and inside a transaction, they go through the repositories.
import type { ChannelName } from '../domain/channels.ts';
import type { ExpiringPoints } from './repositories/loyalty.ts';
import type { OrderWithItems } from './repositories/orders.ts';
import type { Repositories } from './repositories.ts';

export type { ExpiringPoints };

export interface HotReads {
  /** The customer's latest orders, newest first, with items and status history. */
  recentOrders(customerId: number, take: number): Promise<OrderWithItems[]>;
  /** The balance kept on the customer row (written with every ledger entry, checked by `guanxi verify`). */
  pointsBalance(customerId: number): Promise<number>;
  /** Unspent earned points that expire by `before`. */
  expiringPoints(customerId: number, before: Date): Promise<ExpiringPoints>;
  /** Whether proactive messages may go to this platform user (`Identity.canMessage`); undefined when unknown. */
  canMessage(channel: ChannelName, externalId: string): Promise<boolean | undefined>;
}

export class RepositoryHotReads implements HotReads {
  constructor(private readonly repos: () => Repositories) {}

  recentOrders(customerId: number, take: number): Promise<OrderWithItems[]> {
    return this.repos().orders.forCustomer(customerId, take);
  }

  async pointsBalance(customerId: number): Promise<number> {
    return (await this.repos().loyalty.cachedBalance(customerId)) ?? 0;
  }

  expiringPoints(customerId: number, before: Date): Promise<ExpiringPoints> {
    return this.repos().loyalty.expiringTotal(customerId, before);
  }

  async canMessage(channel: ChannelName, externalId: string): Promise<boolean | undefined> {
    return (await this.repos().customers.findIdentity(channel, externalId))?.canMessage;
  }
}
