// The records crm services hand out: rows of the data model, named here so that flows, jobs and the
// HTTP layer, which talk to services, never import the persistence layer (src/db) for a type.
export type { OrderWithItems } from '../db/repositories/orders.ts';
export type {
  Case,
  Chat,
  Conversation,
  Customer,
  Faq,
  Interaction,
  Merge,
  OutboxMessage,
  Product,
  Staff,
} from '../db/types.ts';
