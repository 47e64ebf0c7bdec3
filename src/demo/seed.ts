// Seeds the demo shop through the same services the API uses.

import type { Config } from '../config.ts';
import type { Services } from '../crm/services.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../kernel/clock.ts';
import { demoCustomers, demoFaqs, demoOrders, demoProducts } from './data.ts';

export async function isShopEmpty(store: Store): Promise<boolean> {
  const [products, faqs] = await store.repos.catalog.counts();
  return products === 0 && faqs === 0;
}

/** Upserts the demo catalogue, FAQs (once), customers and orders. Safe to run twice. */
export async function seedDemo(
  services: Services,
  clock: Clock,
): Promise<{ products: number; faqs: number; orders: number }> {
  const system = { type: 'system' } as const;
  for (const { sku, ...product } of demoProducts) await services.catalog.upsertProduct(sku, product, system);
  const existing = new Set((await services.catalog.faqs()).map((f) => f.question));
  let faqs = 0;
  for (const faq of demoFaqs) {
    if (existing.has(faq.question)) continue;
    await services.catalog.createFaq(faq, system);
    faqs++;
  }
  for (const customer of demoCustomers) {
    const { customer: row, created } = await services.customers.identify(
      customer.channel,
      customer.externalId,
      customer.name,
    );
    await services.customers.update(row.id, { name: customer.name, phone: customer.phone }, system);
    // Consent is opt-in: the demo customers have subscribed (as if they had replied 订阅), so the
    // campaign pages have an audience. A re-seed leaves a demo customer's later 退订 alone.
    if (created) {
      await services.customers.setMarketingConsent(
        row.id,
        true,
        { type: 'customer', customerId: row.id },
        customer.channel,
      );
    }
  }
  const orders = demoOrders(clock.now());
  for (const order of orders) await services.orders.upsert(order, system);
  // A small rewards catalogue, so 积分 has something to redeem (completed demo orders earned points).
  if ((await services.rewards.affordable(Number.MAX_SAFE_INTEGER)).length === 0) {
    const coupon = await services.rewards.create(
      { name: '5元无门槛券', nameEn: '¥5 coupon, no minimum', kind: 'coupon', cost: 100 },
      system,
    );
    await services.rewards.addCodes(
      coupon.id,
      Array.from({ length: 50 }, (_, i) => `DEMO5-${String(i + 1).padStart(3, '0')}`),
      system,
    );
    await services.rewards.create(
      { name: '帆布托特包', nameEn: 'Canvas tote bag', kind: 'gift', cost: 300, stock: 20 },
      system,
    );
  }
  // Lifecycle, RFM and value come from the nightly analytics run; without this a fresh demo shows
  // every customer, orders and all, as a prospect until the next night.
  await services.analytics.recompute({ full: true });
  return { products: demoProducts.length, faqs, orders: orders.length };
}

/** Demo console accounts (printed at start when the demo is seeded) and a few canned replies. */
export const demoStaff = [
  { username: 'admin', password: 'admin123', name: '店长 Admin', role: 'admin' },
  { username: 'agent', password: 'agent123', name: '小王 Agent', role: 'agent' },
] as const;

const demoCanned = [
  {
    shortcut: 'hello',
    text: '您好，我是客服，请问有什么可以帮您？',
    textEn: 'Hello, this is customer service. How can I help?',
  },
  {
    shortcut: 'sorry',
    text: '非常抱歉给您带来不便，我马上为您处理。',
    textEn: 'We are very sorry for the trouble; I am on it right now.',
  },
  { shortcut: 'bye', text: '感谢您的耐心，祝您生活愉快！', textEn: 'Thank you for your patience. Have a nice day!' },
];

/**
 * Creates the demo accounts (known passwords) unless they exist. Never in production, whatever
 * SEED_DEMO says: a shop starts there with `guanxi staff add` or the first-run ADMIN_TOKEN.
 */
export async function seedDemoStaff(services: Services, env: Config['env']): Promise<number> {
  if (env === 'production') return 0;
  const system = { type: 'system' } as const;
  const existing = new Set((await services.staff.list()).map((s) => s.username));
  let created = 0;
  for (const staff of demoStaff) {
    if (existing.has(staff.username)) continue;
    await services.staff.create({ ...staff }, system);
    created++;
  }
  for (const { shortcut, ...canned } of demoCanned) await services.staff.upsertCanned(shortcut, canned, system);
  return created;
}
