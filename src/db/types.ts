// Row types of the data model, so code outside src/db never imports the generated client. Rows with
// vocabulary columns (statuses, kinds, roles…) are narrowed to their domain types (rows.ts).
export type {
  CaseNote,
  CustomerNote,
  Faq,
  OrderItem,
  Product,
  Segment,
  StaffSession,
  SurveyAnswer,
} from '../generated/sqlite/client.ts';
export type {
  AuditEntry,
  Campaign,
  Case,
  Chat,
  Conversation,
  Customer,
  CustomerTag,
  Delivery,
  Identity,
  Interaction,
  JobRun,
  Order,
  OrderEvent,
  OutboxMessage,
  PointsEntry,
  Redemption,
  Reward,
  Staff,
  Survey,
  SurveyResponse,
} from './rows.ts';

import type { Prisma } from '../generated/sqlite/client.ts';

/** JSON values as stored in Json columns. */
export type JsonValue = Prisma.JsonValue;
export type JsonObject = Prisma.JsonObject;
