// The staff console's API (/api/console/*): request bodies the routes parse and responses they
// encode, imported unchanged by the browser app (web/console), so both sides share one contract.
import { z } from 'zod';
import { OwnSettings } from '../../domain/staff-input.ts';
import { ChannelName, ChatKind, ConversationStatus, Locale, OutboxStatus, StaffRole, Tier } from './vocabulary.ts';
import { Id, IsoDate } from './wire.ts';

export { OwnSettings };

// ── Session ────────────────────────────────────────────────────────────────────────────────────
export const LoginBody = z.union([
  z.object({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) }).strict(),
  z.object({ token: z.string().min(1).max(200) }).strict(),
]);
export type LoginBody = z.input<typeof LoginBody>;

/** A staff member as the console sees them; the ADMIN_TOKEN holder has `id: null`. */
export const StaffView = z.object({
  id: Id.nullable(),
  username: z.string(),
  name: z.string(),
  role: StaffRole,
  online: z.boolean(),
  capacity: z.number().int().nullable(),
  locale: Locale.nullable(),
  telegramUserId: z.string().nullable(),
  wecomUserId: z.string().nullable(),
  active: z.boolean(),
});
export type StaffView = z.infer<typeof StaffView>;

export const LoginResponse = z.object({ token: z.string(), expiresAt: IsoDate.nullable(), staff: StaffView });

/** What the console needs to know about the shop to show times, money and words. */
export const ShopView = z.object({
  locale: Locale,
  timezone: z.string(),
  currency: z.literal('CNY'),
  quietHours: z.string(),
});
export type ShopView = z.infer<typeof ShopView>;

export const MeResponse = z.object({ staff: StaffView, shop: ShopView });
export type MeResponse = z.infer<typeof MeResponse>;

export const PresenceBody = z.object({ online: z.boolean() }).strict();

// ── Queue ──────────────────────────────────────────────────────────────────────────────────────
export const QueueView = z.enum(['live', 'resolved']);
export type QueueView = z.infer<typeof QueueView>;
export const AssigneeFilter = z.union([z.enum(['me', 'unassigned']), z.coerce.number().int().positive()]);

export const QueueQuery = z
  .object({
    view: QueueView.default('live'),
    status: z.enum(['pending', 'open']).optional(),
    assignee: AssigneeFilter.optional(),
    channel: ChannelName.optional(),
    /** A customer tag (label), exactly as stored. */
    tag: z.string().trim().min(1).max(64).optional(),
    /** Customer name, phone, or a conversation number ("16" or "#16"). */
    q: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type QueueQuery = z.input<typeof QueueQuery>;

export const MessageFrom = z.enum(['customer', 'bot', 'staff', 'system']);
export type MessageFrom = z.infer<typeof MessageFrom>;

export const SlaState = z.enum(['none', 'ok', 'warned', 'breached']);
export type SlaState = z.infer<typeof SlaState>;

const PersonRef = z.object({ id: Id, name: z.string() });

export const QueueItem = z.object({
  id: Id,
  status: ConversationStatus,
  priority: z.number().int(),
  escalationReason: z.string().nullable(),
  escalatedAt: IsoDate.nullable(),
  resolvedAt: IsoDate.nullable(),
  customer: z.object({ id: Id, name: z.string().nullable(), tier: Tier }),
  chat: z.object({ channel: ChannelName, kind: ChatKind, title: z.string().nullable() }),
  assignee: PersonRef.nullable(),
  lastMessage: z.object({ text: z.string().nullable(), at: IsoDate, from: MessageFrom }).nullable(),
  /** Customer messages since the last staff reply (or since the escalation). */
  unread: z.number().int().min(0),
  sla: z.object({ state: SlaState, dueAt: IsoDate.nullable() }),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const QueueResponse = z.object({ conversations: z.array(QueueItem) });

// ── One conversation ───────────────────────────────────────────────────────────────────────────
export const HeldBy = z.enum(['quiet_hours', 'schedule']);
export type HeldBy = z.infer<typeof HeldBy>;

/** Where an outgoing message is: its outbox row's state, and why it waits if it does. */
export const Delivery = z.object({
  status: OutboxStatus,
  heldUntil: IsoDate.nullable(),
  heldBy: HeldBy.nullable(),
  error: z.string().nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

export const MessageView = z.object({
  id: Id,
  at: IsoDate,
  from: z.union([MessageFrom, z.literal('note')]),
  text: z.string().nullable(),
  staffName: z.string().nullable(),
  /** For system lines: the event (`conversation.take`, `conversation.sla_breach`…) and its details. */
  event: z.object({ type: z.string(), reason: z.string().nullable(), assigneeName: z.string().nullable() }).nullable(),
  buttons: z.array(z.string()),
  /** Ids of photos on the message, the customer's or staff's (GET /api/attachments/:id). */
  attachments: z.array(z.string()),
  delivery: Delivery.nullable(),
});
export type MessageView = z.infer<typeof MessageView>;

export const ConversationDetail = z.object({
  id: Id,
  status: ConversationStatus,
  priority: z.number().int(),
  escalationReason: z.string().nullable(),
  escalatedAt: IsoDate.nullable(),
  takenAt: IsoDate.nullable(),
  resolvedAt: IsoDate.nullable(),
  firstResponseAt: IsoDate.nullable(),
  firstResponseDueAt: IsoDate.nullable(),
  resolutionDueAt: IsoDate.nullable(),
  slaWarnedAt: IsoDate.nullable(),
  slaBreachedAt: IsoDate.nullable(),
  assignee: PersonRef.nullable(),
  chat: z.object({ channel: ChannelName, kind: ChatKind, title: z.string().nullable() }),
  customer: z.object({ id: Id, name: z.string().nullable(), tier: Tier, locale: Locale.nullable() }),
});
export type ConversationDetail = z.infer<typeof ConversationDetail>;

export const ConversationResponse = z.object({ conversation: ConversationDetail, messages: z.array(MessageView) });
export type ConversationResponse = z.infer<typeof ConversationResponse>;

/** What an action returns: the conversation as it is now (status, assignee). */
export const ActionResponse = z.object({
  conversation: z.object({ id: Id, status: ConversationStatus, assigneeId: Id.nullable() }),
});
export type ActionResponse = z.infer<typeof ActionResponse>;

/** The id of a photo uploaded with POST /api/console/conversations/:id/attachments. */
export const AttachmentId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'an attachment id is the id the upload returned');
export const UploadResponse = z.object({ id: AttachmentId });

/** Text, photos uploaded for this conversation (the text is their caption), or both; or a canned reply. */
export const ReplyBody = z.union([
  z
    .object({
      text: z.string().trim().max(4000).optional(),
      attachments: z.array(AttachmentId).max(4).optional(),
    })
    .strict()
    .refine((body) => Boolean(body.text) || Boolean(body.attachments?.length), {
      message: 'send text or a photo',
    }),
  z.object({ shortcut: z.string().trim().min(1).max(32) }).strict(),
]);
export type ReplyBody = z.input<typeof ReplyBody>;
export const NoteBody = z.object({ text: z.string().trim().min(1).max(4000) }).strict();
/** The reply box's typing signal: `true` while the agent types (repeated every few seconds), `false` when they stop. */
export const TypingBody = z.object({ typing: z.boolean() }).strict();
/** Transfer to a staff member, optionally with a note the receiver sees. */
export const TransferBody = z.object({ staffId: Id, note: z.string().trim().min(1).max(1000).optional() }).strict();
export type TransferBody = z.input<typeof TransferBody>;

// ── Staff and canned replies ───────────────────────────────────────────────────────────────────
export const StaffListResponse = z.object({ staff: z.array(StaffView) });
export const CannedReplyView = z.object({ shortcut: z.string(), text: z.string(), textEn: z.string().nullable() });
export type CannedReplyView = z.infer<typeof CannedReplyView>;
export const CannedListResponse = z.object({ cannedReplies: z.array(CannedReplyView) });
export const TokenResponse = z.object({ token: z.string() });

// ── Service metrics ────────────────────────────────────────────────────────────────────────────
export const MetricsQuery = z
  .object({
    days: z.coerce.number().int().min(1).max(92).default(7),
    /** The last day included, YYYY-MM-DD in the shop's time zone; default today. */
    until: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .strict();
const Timings = {
  avgFirstResponseSeconds: z.number().nullable(),
  avgHandlingSeconds: z.number().nullable(),
  avgResolutionSeconds: z.number().nullable(),
};
const Rates = {
  conversations: z.number(),
  escalated: z.number(),
  botContainmentRate: z.number().nullable(),
  escalationRate: z.number().nullable(),
  ...Timings,
  slaBreaches: z.number(),
  complaints: z.number(),
  complaintResolutionRate: z.number().nullable(),
  backlog: z.number(),
};
export const MetricsResponse = z.object({
  from: z.string(),
  to: z.string(),
  totals: z.object(Rates),
  days: z.array(z.object({ day: z.string(), ...Rates, complaintsResolved: z.number() })),
  agents: z.array(
    z.object({
      staffId: Id,
      name: z.string(),
      handled: z.number(),
      resolved: z.number(),
      slaBreaches: z.number(),
      openNow: z.number(),
      ...Timings,
    }),
  ),
});
export type MetricsResponse = z.infer<typeof MetricsResponse>;

// ── Live events (GET /api/console/events, text/event-stream) ───────────────────────────────────
export const LiveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), staffId: Id.nullable() }),
  z.object({ type: z.literal('conversation'), id: Id, status: ConversationStatus, assigneeId: Id.nullable() }),
  z.object({ type: z.literal('interaction'), conversationId: Id, kind: z.string(), direction: z.string() }),
  /** Desk activity: replies, notes, transfers (with the receiver), SLA warnings and breaches. */
  z.object({
    type: z.literal('desk'),
    kind: z.string(),
    conversationId: Id,
    staffId: Id.nullable(),
    text: z.string().nullable(),
    byName: z.string().nullable(),
  }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;

/** A staff member's live console sessions (GET /api/staff/sessions). */
export const SessionsResponse = z.object({
  sessions: z.array(
    z.object({
      id: Id,
      createdAt: IsoDate,
      lastSeenAt: IsoDate,
      expiresAt: IsoDate,
      /** When it ends if unused from now on. */
      idleUntil: IsoDate,
      /** The session this request came with. */
      current: z.boolean(),
    }),
  ),
});
