// The domain services flows and the HTTP layer use. Built once per process.
import { AnalyticsService } from './analytics.ts';
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
    campaignRunner: new CampaignRunner(deps, campaigns, { window: deps.config.campaigns.window }),
  };
}

export type Services = ReturnType<typeof createServices>;
