// The repository set: every repository bound to one Prisma client or transaction.

import type { ConsentDefault } from '../domain/consent.ts';
import type { Database, PrismaTx } from './client.ts';
import { AnalyticsRepository } from './repositories/analytics.ts';
import { AttachmentRepository } from './repositories/attachments.ts';
import { AuditRepository } from './repositories/audit.ts';
import { BindingRepository } from './repositories/binding.ts';
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
import { LoyaltyReportRepository } from './repositories/loyalty-report.ts';
import { MergeRepository } from './repositories/merges.ts';
import { OrderRepository } from './repositories/orders.ts';
import { OutboxRepository } from './repositories/outbox.ts';
import { PersonalDataRepository } from './repositories/personal-data.ts';
import { PointsRepository } from './repositories/points.ts';
import { ProcessedMessageRepository } from './repositories/processed.ts';
import { RateCounterRepository } from './repositories/rate-counters.ts';
import { SegmentRepository } from './repositories/segments.ts';
import { SettingsRepository } from './repositories/settings.ts';
import { StaffRepository } from './repositories/staff.ts';
import { StaffSessionRepository } from './repositories/staff-sessions.ts';
import { SurveyRepository } from './repositories/surveys.ts';
import { WebchatRepository } from './repositories/webchat.ts';
import { WecomContactRepository } from './repositories/wecom-contacts.ts';

/** How repositories create rows where the shop's settings decide a value. */
export interface RepositoryOptions {
  marketingConsentDefault: ConsentDefault;
}

export function createRepositories(
  db: PrismaTx,
  provider: Database['provider'],
  options: RepositoryOptions = { marketingConsentDefault: false },
) {
  return {
    attachments: new AttachmentRepository(db),
    audit: new AuditRepository(db),
    binding: new BindingRepository(db),
    cases: new CaseRepository(db),
    catalog: new CatalogRepository(db),
    chats: new ChatRepository(db),
    conversations: new ConversationRepository(db),
    customers: new CustomerRepository(db, options.marketingConsentDefault),
    interactions: new InteractionRepository(db),
    orders: new OrderRepository(db),
    outbox: new OutboxRepository(db),
    points: new PointsRepository(db),
    personalData: new PersonalDataRepository(db),
    processed: new ProcessedMessageRepository(db),
    rateCounters: new RateCounterRepository(db),
    settings: new SettingsRepository(db),
    staff: new StaffRepository(db),
    staffSessions: new StaffSessionRepository(db),
    loyalty: new LoyaltyRepository(db),
    loyaltyReport: new LoyaltyReportRepository(db, provider),
    merges: new MergeRepository(db),
    surveys: new SurveyRepository(db),
    desk: new DeskRepository(db),
    analytics: new AnalyticsRepository(db, provider),
    bulk: new BulkRepository(db, provider),
    campaigns: new CampaignRepository(db, provider),
    segments: new SegmentRepository(db),
    webchat: new WebchatRepository(db),
    wecomContacts: new WecomContactRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
