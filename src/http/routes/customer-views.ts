// The customer profile → its wire form (src/http/schemas/customers.ts). Rows arrive with their vocabulary
// columns already typed (checked at the repository boundary, src/db/rows.ts).
import { attachmentIdsOf } from '../../crm/attachments.ts';
import { type CustomerService, skusOf } from '../../crm/customers.ts';
import type { Customer } from '../../crm/records.ts';
import type { CustomerProfile, CustomerSummary } from '../schemas/customers.ts';
import { Locale } from '../schemas/vocabulary.ts';

type Profile = Awaited<ReturnType<CustomerService['profile']>>;

function eventType(payload: unknown): string | null {
  return typeof payload === 'object' && payload !== null && 'type' in payload && typeof payload.type === 'string'
    ? payload.type
    : null;
}

function attributesOf(value: unknown): Record<string, string | number | boolean> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, string | number | boolean> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean') out[key] = entry;
  }
  return out;
}

export function customerSummary(c: Customer): CustomerSummary {
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    tier: c.tier,
    lifecycleStage: c.lifecycleStage,
    pointsBalance: c.pointsBalance,
    totalSpent: c.totalSpent,
    orderCount: c.orderCount,
    lastSeenAt: c.lastSeenAt,
  };
}

export function customerProfile(p: Profile): CustomerProfile {
  const c = p.customer;
  const locale = Locale.safeParse(c.locale);
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    email: c.email,
    locale: locale.success ? locale.data : null,
    birthday: c.birthday,
    tier: c.tier,
    tierSince: c.tierSince,
    points: c.pointsBalance,
    pointsBalance: c.pointsBalance,
    lifecycleStage: c.lifecycleStage,
    marketingOptIn: c.marketingOptIn,
    marketingOptOutAt: c.marketingOptOutAt,
    orderNotifications: c.orderNotifications,
    attributes: attributesOf(c.attributes),
    referralCode: c.referralCode,
    totalSpent: c.totalSpent,
    orderCount: c.orderCount,
    firstOrderAt: c.firstOrderAt,
    lastOrderAt: c.lastOrderAt,
    rfmSegment: c.rfmSegment,
    lifetimeValue: c.lifetimeValue,
    churnRisk: c.churnRisk,
    mergedIntoId: c.mergedIntoId,
    erasedAt: c.erasedAt,
    firstSeenAt: c.firstSeenAt,
    lastSeenAt: c.lastSeenAt,
    createdAt: c.createdAt,
    identities: p.identities,
    tags: p.tags,
    notes: p.notes,
    orders: p.orders,
    cases: p.cases.map((k) => ({
      ...k,
      photoAttachment: k.photoRef?.startsWith('attachment:') ? k.photoRef.slice('attachment:'.length) : null,
    })),
    pointsEntries: p.points,
    surveys: p.surveys.map((s) => ({ ...s, kind: s.survey.kind })),
    interactions: p.interactions.map((i) => ({
      ...i,
      eventType: eventType(i.payload),
      skus: skusOf(i.payload),
      attachments: attachmentIdsOf(i.payload),
    })),
    conversations: p.conversations.map((v) => ({
      ...v,
      channel: v.chat.channel,
    })),
    products: p.products.map((product) => ({ sku: product.sku, name: product.name, nameEn: product.nameEn })),
  };
}
