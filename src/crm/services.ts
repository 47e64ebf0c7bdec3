// The domain services flows and the HTTP layer use. Built once per process.
import { AnalyticsService } from './analytics.ts';
import { AutomationService } from './automations.ts';
import { CampaignRunner } from './campaign-runner.ts';
import { CampaignService } from './campaigns.ts';
import { CatalogService } from './catalog.ts';
import type { ServiceDeps } from './context.ts';
import { ConversationService } from './conversations.ts';
import { CustomerService } from './customers.ts';
import { MessagingService } from './messaging.ts';
import { OrderService } from './orders.ts';
import { SegmentService } from './segments.ts';

export function createServices(deps: ServiceDeps) {
  const messaging = new MessagingService(deps);
  const campaigns = new CampaignService(deps);
  const campaignRunner = new CampaignRunner(deps, campaigns, { window: deps.config.campaigns.window });
  return {
    shop: deps.config.shop,
    catalog: new CatalogService(deps),
    customers: new CustomerService(deps),
    conversations: new ConversationService(deps),
    messaging,
    orders: new OrderService(deps, messaging),
    analytics: new AnalyticsService(deps),
    segments: new SegmentService(deps),
    campaigns,
    campaignRunner,
    automations: new AutomationService(deps, campaignRunner),
  };
}

export type Services = ReturnType<typeof createServices>;
