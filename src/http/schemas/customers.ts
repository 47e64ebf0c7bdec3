// The customer profile (客户档案) as GET /api/customers/:id returns it, and the customer list.
// Shared with the console, which decodes it with the same schema.
import { z } from 'zod';
import { CustomerUpdate, NoteInput, TagInput } from '../../domain/customer-input.ts';
import {
  CaseStatus,
  CaseType,
  ChannelName,
  ConversationStatus,
  LifecycleStage,
  Locale,
  OrderStatus,
  PointsKind,
  SurveyResponseStatus,
  Tier,
} from './vocabulary.ts';
import { Id, IsoDate } from './wire.ts';

export { CustomerUpdate, NoteInput, TagInput };

export const CustomerSummary = z.object({
  id: Id,
  name: z.string().nullable(),
  phone: z.string().nullable(),
  tier: Tier,
  lifecycleStage: LifecycleStage,
  pointsBalance: z.number().int(),
  totalSpent: z.number().int(),
  orderCount: z.number().int(),
  lastSeenAt: IsoDate,
});
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const CustomerListQuery = z
  .object({
    q: z.string().max(100).optional(),
    take: z.coerce.number().int().min(1).max(200).default(50),
    skip: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export const CustomerListResponse = z.object({ customers: z.array(CustomerSummary) });

const Identity = z.object({
  id: Id,
  channel: z.string(),
  externalId: z.string(),
  displayName: z.string().nullable(),
  canMessage: z.boolean(),
  lastSeenAt: IsoDate,
});

const Note = z.object({
  id: Id,
  text: z.string(),
  staffId: Id.nullable(),
  staffName: z.string().nullable(),
  createdAt: IsoDate,
});

const Order = z.object({
  id: Id,
  orderNo: z.string(),
  status: OrderStatus,
  total: z.number().int(),
  refundedAmount: z.number().int(),
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  placedAt: IsoDate,
  items: z.array(z.object({ sku: z.string(), name: z.string(), qty: z.number().int(), price: z.number().int() })),
});

const Case = z.object({
  id: Id,
  caseNo: z.string(),
  type: CaseType,
  status: CaseStatus,
  stage: z.string().nullable(),
  priority: z.string(),
  severity: z.number().int(),
  reason: z.string().nullable(),
  /** The id of the photo the customer sent with the case (GET /api/attachments/:id), if the app stored it. */
  photoAttachment: z.string().nullable(),
  createdAt: IsoDate,
});

const PointsEntry = z.object({
  id: Id,
  amount: z.number().int(),
  kind: PointsKind,
  reason: z.string(),
  createdAt: IsoDate,
});

const Survey = z.object({
  id: Id,
  kind: z.string(),
  status: SurveyResponseStatus,
  csat: z.number().int().nullable(),
  nps: z.number().int().nullable(),
  sentAt: IsoDate.nullable(),
  completedAt: IsoDate.nullable(),
});

const Interaction = z.object({
  id: Id,
  conversationId: Id.nullable(),
  channel: z.string(),
  direction: z.string(),
  kind: z.string(),
  text: z.string().nullable(),
  /** For events: what happened (`case.opened`, `presale.question`, `conversation.resolve`…). */
  eventType: z.string().nullable(),
  /** Products a pre-sale question was about (their SKUs; names are in `products`). */
  skus: z.array(z.string()),
  /** Photos on the message, the customer's or staff's (GET /api/attachments/:id). */
  attachments: z.array(z.string()),
  createdAt: IsoDate,
});

const ConversationRef = z.object({
  id: Id,
  status: ConversationStatus,
  channel: ChannelName,
  createdAt: IsoDate,
  resolvedAt: IsoDate.nullable(),
});

export const CustomerProfile = z.object({
  id: Id,
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  locale: Locale.nullable(),
  birthday: z.string().nullable(),
  tier: Tier,
  tierSince: IsoDate.nullable(),
  points: z.number().int(),
  pointsBalance: z.number().int(),
  lifecycleStage: LifecycleStage,
  marketingOptIn: z.boolean(),
  marketingOptOutAt: IsoDate.nullable(),
  orderNotifications: z.boolean(),
  /** The shop's own fields (imports, the chat's profile form): text, numbers and yes/no. */
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  referralCode: z.string().nullable(),
  totalSpent: z.number().int(),
  orderCount: z.number().int(),
  firstOrderAt: IsoDate.nullable(),
  lastOrderAt: IsoDate.nullable(),
  rfmSegment: z.string().nullable(),
  lifetimeValue: z.number().int().nullable(),
  churnRisk: z.number().nullable(),
  mergedIntoId: Id.nullable(),
  erasedAt: IsoDate.nullable(),
  firstSeenAt: IsoDate,
  lastSeenAt: IsoDate,
  createdAt: IsoDate,
  identities: z.array(Identity),
  tags: z.array(z.string()),
  notes: z.array(Note),
  orders: z.array(Order),
  cases: z.array(Case),
  pointsEntries: z.array(PointsEntry),
  surveys: z.array(Survey),
  interactions: z.array(Interaction),
  conversations: z.array(ConversationRef),
  /** Names of the products the profile mentions (interest tags, pre-sale questions), by SKU. */
  products: z.array(z.object({ sku: z.string(), name: z.string(), nameEn: z.string().nullable() })),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

export const TagsResponse = z.object({ tags: z.array(z.string()) });
