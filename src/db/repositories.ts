// The repository set: every repository bound to one Prisma client or transaction.

import type { Database, PrismaTx } from './client.ts';
import { AnalyticsRepository } from './repositories/analytics.ts';
import { AuditRepository } from './repositories/audit.ts';
import { BulkRepository } from './repositories/bulk.ts';
import { CampaignRepository } from './repositories/campaigns.ts';
import { CaseRepository } from './repositories/cases.ts';
import { CatalogRepository } from './repositories/catalog.ts';
import { ChatRepository } from './repositories/chats.ts';
import { ConversationRepository } from './repositories/conversations.ts';
import { CustomerRepository } from './repositories/customers.ts';
import { DeskRepository } from './repositories/desk.ts';
import { InteractionRepository } from './repositories/interactions.ts';
import { LoyaltyRepository } from './repositories/loyalty.ts';
import { OrderRepository } from './repositories/orders.ts';
import { OutboxRepository } from './repositories/outbox.ts';
import { PointsRepository } from './repositories/points.ts';
import { ProcessedMessageRepository } from './repositories/processed.ts';
import { SegmentRepository } from './repositories/segments.ts';
import { SettingsRepository } from './repositories/settings.ts';
import { StaffRepository } from './repositories/staff.ts';
import { SurveyRepository } from './repositories/surveys.ts';

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
    outbox: new OutboxRepository(db),
    points: new PointsRepository(db),
    processed: new ProcessedMessageRepository(db),
    settings: new SettingsRepository(db),
    staff: new StaffRepository(db),
    loyalty: new LoyaltyRepository(db),
    surveys: new SurveyRepository(db),
    desk: new DeskRepository(db),
    analytics: new AnalyticsRepository(db, provider),
    bulk: new BulkRepository(db, provider),
    campaigns: new CampaignRepository(db, provider),
    segments: new SegmentRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
