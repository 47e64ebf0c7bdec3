// The data layer's public face: repositories bound to the client or to a transaction.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Config } from '../config.ts';
import { type Database, openDatabase, type PrismaTx } from './client.ts';
import { migrate } from './migrate.ts';
import { AnalyticsRepository } from './repositories/analytics.ts';
import { AuditRepository } from './repositories/audit.ts';
import { BulkRepository } from './repositories/bulk.ts';
import { CampaignRepository } from './repositories/campaigns.ts';
import { CaseRepository } from './repositories/cases.ts';
import { CatalogRepository } from './repositories/catalog.ts';
import { ChatRepository } from './repositories/chats.ts';
import { ConversationRepository } from './repositories/conversations.ts';
import { CustomerRepository } from './repositories/customers.ts';
import { InteractionRepository } from './repositories/interactions.ts';
import { OrderRepository } from './repositories/orders.ts';
import { OutboxRepository } from './repositories/outbox.ts';
import { PointsRepository } from './repositories/points.ts';
import { ProcessedMessageRepository } from './repositories/processed.ts';
import { SegmentRepository } from './repositories/segments.ts';
import { SettingsRepository } from './repositories/settings.ts';
import { StaffRepository } from './repositories/staff.ts';

export function createRepositories(db: PrismaTx, provider: Database['provider']) {
  return {
    audit: new AuditRepository(db),
    cases: new CaseRepository(db),
    catalog: new CatalogRepository(db),
    chats: new ChatRepository(db),
    conversations: new ConversationRepository(db),
    customers: new CustomerRepository(db),
    interactions: new InteractionRepository(db),
    orders: new OrderRepository(db),
    outbox: new OutboxRepository(db, provider),
    points: new PointsRepository(db),
    processed: new ProcessedMessageRepository(db),
    settings: new SettingsRepository(db),
    staff: new StaffRepository(db),
    analytics: new AnalyticsRepository(db, provider),
    bulk: new BulkRepository(db),
    campaigns: new CampaignRepository(db, provider),
    segments: new SegmentRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

export interface Store {
  readonly provider: Database['provider'];
  /** The repositories of the transaction in progress (if this code runs inside one), else the plain ones. */
  readonly repos: Repositories;
  /**
   * Runs `work` atomically; the repositories it receives are bound to the transaction. Called inside
   * another transaction it joins that one, so services compose without nesting locks.
   */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openStore(database: Config['database'], options: { migrate?: boolean } = {}): Promise<Store> {
  if (options.migrate !== false) await migrate(database);
  const db = await openDatabase(database);
  const current = new AsyncLocalStorage<Repositories>();
  const base = createRepositories(db.prisma, db.provider);
  return {
    provider: db.provider,
    get repos() {
      return current.getStore() ?? base;
    },
    transaction: (work) => {
      const outer = current.getStore();
      if (outer) return work(outer);
      return db.transaction((tx) => {
        const repos = createRepositories(tx, db.provider);
        return current.run(repos, () => work(repos));
      });
    },
    close: () => db.close(),
  };
}
