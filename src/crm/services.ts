// The domain services flows and the HTTP layer use. Built once per process.
import { KnowledgeBase } from '../ai/knowledge.ts';
import { LlmClient } from '../ai/llm.ts';
import { AnalyticsService } from './analytics.ts';
import { AttachmentService } from './attachments.ts';
import { AuditLog } from './audit-log.ts';
import { AutomationService } from './automations.ts';
import { BindingService } from './binding.ts';
import { CampaignRunner } from './campaign-runner.ts';
import { CampaignService } from './campaigns.ts';
import { CaseService } from './cases.ts';
import { CatalogService } from './catalog.ts';
import { ChannelStateService } from './channel-state.ts';
import type { ServiceDeps } from './context.ts';
import { ConversationService } from './conversations.ts';
import { CustomerService } from './customers.ts';
import { EscalationService } from './escalation.ts';
import { IdentityService } from './identities.ts';
import { ImportService } from './imports.ts';
import { InterestService } from './interest.ts';
import { LanguageService } from './language.ts';
import { LoyaltyService } from './loyalty.ts';
import { LoyaltyReportService } from './loyalty-report.ts';
import { MergeService } from './merges.ts';
import { MessagingService } from './messaging.ts';
import { OrderService } from './orders.ts';
import { PersonalDataService } from './personal-data.ts';
import { RateLimits } from './rate-limits.ts';
import { RelayThreadService } from './relay-threads.ts';
import { ReturnPolicy } from './return-policy.ts';
import { RewardService } from './rewards.ts';
import { SegmentService } from './segments.ts';
import { ServiceMetrics } from './service-metrics.ts';
import { SignedIdentityService } from './signed-identity.ts';
import { StaffAccounts } from './staff-accounts.ts';
import { StaffDesk } from './staff-desk.ts';
import { StaffRelayHub } from './staff-relay.ts';
import { SurveyReportService } from './survey-reports.ts';
import { SurveyService } from './surveys.ts';
import { WebchatService } from './webchat.ts';
import { WebchatSettingsService } from './webchat-settings.ts';
import { WecomContactService } from './wecom-contacts.ts';

export function createServices(deps: ServiceDeps) {
  const messaging = new MessagingService(deps);
  const campaigns = new CampaignService(deps);
  const campaignRunner = new CampaignRunner(deps, campaigns, { window: deps.config.campaigns.window });
  const conversations = new ConversationService(deps);
  const merges = new MergeService(deps);
  const staffRelay = new StaffRelayHub(deps.log, deps.store, deps.events);
  const catalog = new CatalogService(deps);
  const orders = new OrderService(deps, messaging);
  const loyalty = new LoyaltyService(deps, messaging);
  const cases = new CaseService(deps, messaging);
  const surveys = new SurveyService(deps, messaging, loyalty, cases);
  orders.onStatusChange((change) => loyalty.onOrderStatus(change));
  orders.onStatusChange((change) => surveys.onOrderStatus(change));
  const knowledge = new KnowledgeBase(catalog, deps.clock);
  const escalation = new EscalationService(deps, conversations, staffRelay, cases);
  const customers = new CustomerService(deps);
  cases.onResolved((row) => surveys.onCaseResolved(row));
  deps.events.on('conversation', (event) => {
    if (event.status !== 'resolved') return;
    surveys.onConversationResolved(event.id).catch((error: unknown) => {
      deps.log.error({ err: error, conversationId: event.id }, 'scheduling the service survey failed');
    });
  });
  const wecomContacts = new WecomContactService(deps);
  const attachments = new AttachmentService(deps);
  campaignRunner.setHandOff((repos, messages, campaignId, now) =>
    wecomContacts.takeCampaignMessages(repos, messages, campaignId, now),
  );
  return {
    shop: deps.config.shop,
    loyaltyRules: deps.config.loyalty,
    catalog,
    customers,
    auditLog: new AuditLog(deps),
    identities: new IdentityService(deps),
    attachments,
    merges,
    binding: new BindingService(deps, merges),
    signedIdentity: new SignedIdentityService(deps, merges),
    channelState: new ChannelStateService(deps),
    webchat: new WebchatService(deps, customers),
    webchatSettings: new WebchatSettingsService(deps),
    language: new LanguageService(deps),
    conversations,
    messaging,
    orders,
    loyalty,
    rewards: new RewardService(deps),
    loyaltyReport: new LoyaltyReportService(deps),
    rateLimits: new RateLimits(deps),
    personalData: new PersonalDataService(deps),
    surveys,
    surveyReports: new SurveyReportService(deps),
    staffRelay,
    relayThreads: new RelayThreadService(deps),
    escalation,
    staff: new StaffAccounts(deps),
    desk: new StaffDesk(deps, conversations, escalation, messaging, staffRelay, attachments),
    serviceMetrics: new ServiceMetrics(deps),
    imports: new ImportService(catalog, orders, deps.config.shop.timezone),
    knowledge,
    interest: new InterestService(deps),
    cases,
    returnPolicy: new ReturnPolicy({ windowDays: deps.config.aftersale.returnWindowDays, products: knowledge }),
    understanding: deps.config.understanding,
    /** Present only when OPENAI_API_KEY is set. */
    llm: deps.config.openai ? new LlmClient(deps.config.openai, deps.log) : undefined,
    analytics: new AnalyticsService(deps),
    segments: new SegmentService(deps),
    campaigns,
    campaignRunner,
    automations: new AutomationService(deps, campaignRunner),
    /** WeCom 客户联系; its WeCom calls are connected by the composition root when configured. */
    wecomContacts,
  };
}

export type Services = ReturnType<typeof createServices>;
