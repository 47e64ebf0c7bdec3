// Row readers for the SQLite fast path: better-sqlite3 returns DateTime as ISO text, Boolean as 0/1
// and Json as text; these turn rows into the same shapes the Prisma client returns.
// Generated once from prisma/models.prisma; keep in step with it (the types make a drift a compile error).
// Vocabulary columns go through the same parsers as the repositories' rows (../rows.ts).
import { rows } from '../rows.ts';
import type {
  Chat,
  Conversation,
  Customer,
  Identity,
  Order,
  OrderEvent,
  OrderItem,
  OutboxMessage,
  Redemption,
  Reward,
} from '../types.ts';
import { bool, date, dateOrNull, floatOrNull, int, intOrNull, json, text, textOrNull } from './values.ts';

export type Row = Record<string, unknown>;

export function readCustomer(row: Row): Customer {
  return rows.customer({
    id: int(row.id),
    name: textOrNull(row.name),
    phone: textOrNull(row.phone),
    email: textOrNull(row.email),
    locale: textOrNull(row.locale),
    birthday: textOrNull(row.birthday),
    tier: text(row.tier),
    tierSince: dateOrNull(row.tierSince),
    pointsBalance: int(row.pointsBalance),
    lifecycleStage: text(row.lifecycleStage),
    marketingOptIn: bool(row.marketingOptIn),
    marketingOptOutAt: dateOrNull(row.marketingOptOutAt),
    orderNotifications: bool(row.orderNotifications),
    attributes: json(row.attributes),
    referralCode: textOrNull(row.referralCode),
    referredById: intOrNull(row.referredById),
    totalSpent: int(row.totalSpent),
    orderCount: int(row.orderCount),
    firstOrderAt: dateOrNull(row.firstOrderAt),
    lastOrderAt: dateOrNull(row.lastOrderAt),
    rfmRecency: intOrNull(row.rfmRecency),
    rfmFrequency: intOrNull(row.rfmFrequency),
    rfmMonetary: intOrNull(row.rfmMonetary),
    rfmSegment: textOrNull(row.rfmSegment),
    lifetimeValue: intOrNull(row.lifetimeValue),
    churnRisk: floatOrNull(row.churnRisk),
    churnReasons: json(row.churnReasons),
    analyticsAt: dateOrNull(row.analyticsAt),
    mergedIntoId: intOrNull(row.mergedIntoId),
    phoneVerifiedAt: dateOrNull(row.phoneVerifiedAt),
    erasedAt: dateOrNull(row.erasedAt),
    firstSeenAt: date(row.firstSeenAt),
    lastSeenAt: date(row.lastSeenAt),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
    localeSource: textOrNull(row.localeSource),
    languageStreak: int(row.languageStreak),
  });
}

export function readIdentity(row: Row): Identity {
  return rows.identity({
    id: int(row.id),
    channel: text(row.channel),
    externalId: text(row.externalId),
    customerId: int(row.customerId),
    displayName: textOrNull(row.displayName),
    alias: textOrNull(row.alias),
    canMessage: bool(row.canMessage),
    verifiedAt: dateOrNull(row.verifiedAt),
    createdAt: date(row.createdAt),
    lastSeenAt: date(row.lastSeenAt),
  });
}

export function readChat(row: Row): Chat {
  return rows.chat({
    id: int(row.id),
    channel: text(row.channel),
    externalId: text(row.externalId),
    kind: text(row.kind),
    title: textOrNull(row.title),
    createdAt: date(row.createdAt),
  });
}

export function readConversation(row: Row): Conversation {
  return rows.conversation({
    id: int(row.id),
    customerId: int(row.customerId),
    chatId: int(row.chatId),
    activeKey: textOrNull(row.activeKey),
    status: text(row.status),
    flow: textOrNull(row.flow),
    flowState: json(row.flowState),
    locale: textOrNull(row.locale),
    failedTurns: int(row.failedTurns),
    priority: int(row.priority),
    assigneeId: intOrNull(row.assigneeId),
    escalatedAt: dateOrNull(row.escalatedAt),
    escalationReason: textOrNull(row.escalationReason),
    takenAt: dateOrNull(row.takenAt),
    firstResponseAt: dateOrNull(row.firstResponseAt),
    resolvedAt: dateOrNull(row.resolvedAt),
    firstResponseDueAt: dateOrNull(row.firstResponseDueAt),
    resolutionDueAt: dateOrNull(row.resolutionDueAt),
    slaWarnedAt: dateOrNull(row.slaWarnedAt),
    slaBreachedAt: dateOrNull(row.slaBreachedAt),
    staffThreadId: textOrNull(row.staffThreadId),
    lastInboundAt: dateOrNull(row.lastInboundAt),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  });
}

export function readOutboxMessage(row: Row): OutboxMessage {
  return rows.outboxMessage({
    id: int(row.id),
    channel: text(row.channel),
    chatExternalId: text(row.chatExternalId),
    customerId: intOrNull(row.customerId),
    conversationId: intOrNull(row.conversationId),
    purpose: text(row.purpose),
    sourceKey: textOrNull(row.sourceKey),
    text: text(row.text),
    buttons: json(row.buttons),
    meta: json(row.meta),
    status: text(row.status),
    priority: int(row.priority),
    notBefore: date(row.notBefore),
    attempts: int(row.attempts),
    claimedAt: dateOrNull(row.claimedAt),
    claimedBy: textOrNull(row.claimedBy),
    sentAt: dateOrNull(row.sentAt),
    externalId: textOrNull(row.externalId),
    error: textOrNull(row.error),
    createdAt: date(row.createdAt),
  });
}

export function readOrder(row: Row): Order {
  return rows.order({
    id: int(row.id),
    orderNo: text(row.orderNo),
    customerId: int(row.customerId),
    status: text(row.status),
    total: int(row.total),
    refundedAmount: int(row.refundedAmount),
    currency: text(row.currency),
    carrier: textOrNull(row.carrier),
    trackingNo: textOrNull(row.trackingNo),
    expectedDeliveryAt: dateOrNull(row.expectedDeliveryAt),
    placedAt: date(row.placedAt),
    paidAt: dateOrNull(row.paidAt),
    shippedAt: dateOrNull(row.shippedAt),
    deliveredAt: dateOrNull(row.deliveredAt),
    completedAt: dateOrNull(row.completedAt),
    cancelledAt: dateOrNull(row.cancelledAt),
    refundedAt: dateOrNull(row.refundedAt),
    campaignId: intOrNull(row.campaignId),
    source: text(row.source),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  });
}

export function readOrderItem(row: Row): OrderItem {
  return {
    id: int(row.id),
    orderId: int(row.orderId),
    sku: text(row.sku),
    name: text(row.name),
    qty: int(row.qty),
    price: int(row.price),
  };
}

export function readOrderEvent(row: Row): OrderEvent {
  return rows.orderEvent({
    id: int(row.id),
    orderId: int(row.orderId),
    status: text(row.status),
    note: textOrNull(row.note),
    at: date(row.at),
  });
}

export function readRedemption(row: Row): Redemption {
  return rows.redemption({
    id: int(row.id),
    customerId: int(row.customerId),
    rewardId: int(row.rewardId),
    points: int(row.points),
    status: text(row.status),
    code: textOrNull(row.code),
    idempotencyKey: text(row.idempotencyKey),
    createdAt: date(row.createdAt),
  });
}

export function readReward(row: Row): Reward {
  return rows.reward({
    id: int(row.id),
    name: text(row.name),
    nameEn: textOrNull(row.nameEn),
    description: textOrNull(row.description),
    kind: text(row.kind),
    cost: int(row.cost),
    stock: intOrNull(row.stock),
    active: bool(row.active),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  });
}
