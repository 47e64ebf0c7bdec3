// The domain services flows and the HTTP layer use. Built once per process.
import { CatalogService } from './catalog.ts';
import type { ServiceDeps } from './context.ts';
import { ConversationService } from './conversations.ts';
import { CustomerService } from './customers.ts';
import { EscalationService } from './escalation.ts';
import { MessagingService } from './messaging.ts';
import { OrderService } from './orders.ts';
import { ServiceMetrics } from './service-metrics.ts';
import { StaffAccounts } from './staff-accounts.ts';
import { StaffDesk } from './staff-desk.ts';
import { StaffRelayHub } from './staff-relay.ts';

export function createServices(deps: ServiceDeps) {
  const messaging = new MessagingService(deps);
  const conversations = new ConversationService(deps);
  const staffRelay = new StaffRelayHub(deps.log, deps.store, deps.events);
  const escalation = new EscalationService(deps, conversations, staffRelay);
  return {
    shop: deps.config.shop,
    catalog: new CatalogService(deps),
    customers: new CustomerService(deps),
    conversations,
    messaging,
    orders: new OrderService(deps, messaging),
    staffRelay,
    escalation,
    staff: new StaffAccounts(deps),
    desk: new StaffDesk(deps, conversations, escalation, messaging, staffRelay),
    serviceMetrics: new ServiceMetrics(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
