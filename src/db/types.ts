// Row types of the data model, re-exported so code outside src/db never imports the generated client.
export type {
  AuditEntry,
  Campaign,
  Case,
  CaseNote,
  Chat,
  Conversation,
  Customer,
  CustomerNote,
  CustomerTag,
  Delivery,
  Faq,
  Identity,
  Interaction,
  Order,
  OrderEvent,
  OrderItem,
  OutboxMessage,
  PointsEntry,
  Product,
  Redemption,
  Reward,
  Segment,
  Staff,
  Survey,
  SurveyAnswer,
  SurveyResponse,
} from '../generated/sqlite/client.ts';

import type { Prisma } from '../generated/sqlite/client.ts';

/** JSON values as stored in Json columns. */
export type JsonValue = Prisma.JsonValue;
export type JsonObject = Prisma.JsonObject;
