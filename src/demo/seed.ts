// Seeds the demo shop through the same services the API uses.
import type { Clock } from '../core/clock.ts';
import type { Services } from '../crm/services.ts';
import type { Store } from '../db/store.ts';
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
    const { customer: row } = await services.customers.identify(customer.channel, customer.externalId, customer.name);
    await services.customers.update(row.id, { name: customer.name, phone: customer.phone }, system);
  }
  const orders = demoOrders(clock.now());
  for (const order of orders) await services.orders.upsert(order, system);
  return { products: demoProducts.length, faqs, orders: orders.length };
}
