// Rows → the console's wire types (src/http/schemas/console.ts). Rows arrive with their vocabulary
// columns already typed (checked once, at the repository boundary: src/db/rows.ts).

import type { Config } from '../../config.ts';
import { attachmentIdsOf } from '../../crm/attachments.ts';
import type { Chat, Conversation, Customer, Interaction, Staff } from '../../crm/records.ts';
import type { DeskMessage } from '../../crm/staff-desk.ts';
import type {
  ConversationDetail,
  MessageFrom,
  MessageView,
  QueueItem,
  ShopView,
  StaffView,
} from '../schemas/console.ts';
import { Locale } from '../schemas/vocabulary.ts';

const locale = (value: string | null) => {
  const parsed = Locale.safeParse(value);
  return parsed.success ? parsed.data : null;
};

export function staffView(staff: Staff): StaffView {
  return {
    id: staff.id,
    username: staff.username,
    name: staff.name,
    role: staff.role,
    online: staff.online,
    capacity: staff.capacity,
    locale: locale(staff.locale),
    telegramUserId: staff.telegramUserId,
    wecomUserId: staff.wecomUserId,
    active: staff.active,
  };
}

/** The ADMIN_TOKEN holder has no staff row. */
export const adminView: StaffView = {
  id: null,
  username: 'admin',
  name: 'admin',
  role: 'admin',
  online: false,
  capacity: null,
  locale: null,
  telegramUserId: null,
  wecomUserId: null,
  active: true,
};

export function shopView(config: Config): ShopView {
  return {
    locale: config.shop.locale,
    timezone: config.shop.timezone,
    currency: 'CNY',
    quietHours: config.shop.quietHours,
  };
}

function chatView(chat: Chat) {
  return { channel: chat.channel, kind: chat.kind, title: chat.title };
}

export function messageFrom(interaction: Interaction): MessageFrom {
  if (interaction.direction === 'in') return 'customer';
  if (interaction.kind === 'staff_reply') return 'staff';
  // Everything else the shop sends by itself (answers, notices, surveys, campaigns) comes from the bot.
  if (interaction.direction === 'out') return 'bot';
  return 'system';
}

function slaOf(c: Conversation): QueueItem['sla'] {
  if (c.slaBreachedAt)
    return { state: 'breached', dueAt: c.firstResponseAt ? c.resolutionDueAt : c.firstResponseDueAt };
  const dueAt = c.firstResponseAt ? c.resolutionDueAt : c.firstResponseDueAt;
  if (c.status === 'resolved' || !dueAt) return { state: 'none', dueAt: null };
  return { state: c.slaWarnedAt ? 'warned' : 'ok', dueAt };
}

export function queueItem(
  row: Conversation & {
    customer: Customer;
    chat: Chat;
    assignee: Staff | null;
    summary: { last: Interaction | null; unread: number };
  },
): QueueItem {
  const last = row.summary.last;
  return {
    id: row.id,
    status: row.status,
    priority: row.priority,
    escalationReason: row.escalationReason,
    escalatedAt: row.escalatedAt,
    resolvedAt: row.resolvedAt,
    customer: { id: row.customer.id, name: row.customer.name, tier: row.customer.tier },
    chat: chatView(row.chat),
    assignee: row.assignee ? { id: row.assignee.id, name: row.assignee.name } : null,
    lastMessage: last ? { text: last.text, at: last.createdAt, from: messageFrom(last) } : null,
    unread: row.summary.unread,
    sla: slaOf(row),
  };
}

export function conversationDetail(
  c: Conversation & { customer: Customer; chat: Chat; assignee: { id: number; name: string } | null },
): ConversationDetail {
  return {
    id: c.id,
    status: c.status,
    priority: c.priority,
    escalationReason: c.escalationReason,
    escalatedAt: c.escalatedAt,
    takenAt: c.takenAt,
    resolvedAt: c.resolvedAt,
    firstResponseAt: c.firstResponseAt,
    firstResponseDueAt: c.firstResponseDueAt,
    resolutionDueAt: c.resolutionDueAt,
    slaWarnedAt: c.slaWarnedAt,
    slaBreachedAt: c.slaBreachedAt,
    assignee: c.assignee,
    chat: chatView(c.chat),
    customer: {
      id: c.customer.id,
      name: c.customer.name,
      tier: c.customer.tier,
      locale: locale(c.customer.locale),
    },
  };
}

function eventOf(message: DeskMessage): MessageView['event'] {
  const { interaction } = message;
  if (interaction.direction !== 'event' || interaction.kind === 'note') return null;
  const payload = interaction.payload;
  const field = (key: string) =>
    typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload[key] : undefined;
  const type = field('type');
  const reason = field('reason');
  return {
    type: typeof type === 'string' ? type : interaction.kind,
    reason: typeof reason === 'string' ? reason : null,
    assigneeName: message.assigneeName,
  };
}

export function messageView(message: DeskMessage): MessageView {
  const { interaction, delivery } = message;
  return {
    id: interaction.id,
    at: interaction.createdAt,
    from: interaction.kind === 'note' ? 'note' : messageFrom(interaction),
    text: interaction.text,
    staffName: message.staffName,
    event: eventOf(message),
    buttons: message.buttons,
    // Photos the customer sent or staff sent, read back through GET /api/attachments/:id.
    attachments: attachmentIdsOf(interaction.payload),
    delivery: delivery
      ? {
          status: delivery.status,
          heldUntil: delivery.heldUntil,
          heldBy: delivery.heldBy,
          error: delivery.error,
        }
      : null,
  };
}
