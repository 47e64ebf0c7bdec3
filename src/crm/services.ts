// The domain services flows and the HTTP layer use. Built once per process.
import { KnowledgeBase } from '../ai/knowledge.ts';
import { LlmClient } from '../ai/llm.ts';
import { CaseService } from './cases.ts';
import { CatalogService } from './catalog.ts';
import type { ServiceDeps } from './context.ts';
import { ConversationService } from './conversations.ts';
import { CustomerService } from './customers.ts';
import { ImportService } from './imports.ts';
import { InterestService } from './interest.ts';
import { MessagingService } from './messaging.ts';
import { OrderService } from './orders.ts';

export function createServices(deps: ServiceDeps) {
  const messaging = new MessagingService(deps);
  const catalog = new CatalogService(deps);
  const orders = new OrderService(deps, messaging);
  return {
    shop: deps.config.shop,
    catalog,
    customers: new CustomerService(deps),
    conversations: new ConversationService(deps),
    messaging,
    orders,
    imports: new ImportService(catalog, orders),
    knowledge: new KnowledgeBase(catalog, deps.clock),
    interest: new InterestService(deps),
    cases: new CaseService(deps, messaging),
    /** Present only when OPENAI_API_KEY is set. */
    policy: { returnWindowDays: deps.config.service.returnWindowDays },
    llm: deps.config.openai ? new LlmClient(deps.config.openai, deps.log) : undefined,
  };
}

export type Services = ReturnType<typeof createServices>;
