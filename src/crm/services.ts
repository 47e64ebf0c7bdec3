// The domain services flows and the HTTP layer use. Built once per process.
import { CatalogService } from './catalog.ts';
import type { ServiceDeps } from './context.ts';
import { ConversationService } from './conversations.ts';
import { CustomerService } from './customers.ts';
import { MessagingService } from './messaging.ts';
import { OrderService } from './orders.ts';

export function createServices(deps: ServiceDeps) {
  const messaging = new MessagingService(deps);
  return {
    shop: deps.config.shop,
    catalog: new CatalogService(deps),
    customers: new CustomerService(deps),
    conversations: new ConversationService(deps),
    messaging,
    orders: new OrderService(deps, messaging),
  };
}

export type Services = ReturnType<typeof createServices>;
