// Admin API (ARCHITECTURE.md section 7): orders, products, FAQs, customer profiles.
import { z } from 'zod';
import { OrderInput, OrderPatch } from '../../crm/orders.ts';
import { FaqInput, ProductInput, Sku } from '../../domain/catalog-input.ts';
import { CustomerUpdate, NoteInput, TagInput } from '../../domain/customer-input.ts';
import { maskPhone } from '../../kernel/privacy.ts';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';
import { CustomerListQuery, CustomerListResponse, CustomerProfile } from '../schemas/customers.ts';
import { OrderListQuery, OrderListResponse } from '../schemas/orders.ts';
import { customerProfile, customerSummary } from './customer-views.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const OrderParams = z.object({ orderNo: z.string().min(1).max(64) });
const ProductListQuery = z.object({
  all: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
const ProductActiveBody = z.object({ active: z.boolean() }).strict();

export function adminRoutes(app: HttpApp, ctx: HttpContext): void {
  const { admin, staff } = routeGuards(ctx.services.staff, ctx.adminTokenHash);

  app.post('/api/orders', async (request) => {
    const actor = await admin(request);
    return ctx.services.orders.upsert(OrderInput.parse(request.body), actor);
  });

  app.get('/api/orders', async (request) => {
    const actor = await admin(request);
    const query = OrderListQuery.parse(request.query);
    const orders = await ctx.services.orders.list(
      {
        take: query.take,
        skip: query.skip,
        ...(query.q ? { query: query.q } : {}),
        ...(query.status ? { status: query.status } : {}),
      },
      actor,
    );
    return OrderListResponse.encode({
      orders: orders.map(({ customerId, customerName, customerPhone, ...order }) => ({
        ...order,
        // The list is for finding an order; the full number is one click away on the profile (audited).
        customer: { id: customerId, name: customerName, phone: customerPhone && maskPhone(customerPhone) },
      })),
    });
  });

  app.get('/api/orders/:orderNo', async (request) => {
    await admin(request);
    return ctx.services.orders.get(OrderParams.parse(request.params).orderNo);
  });

  app.patch('/api/orders/:orderNo', async (request) => {
    const actor = await admin(request);
    const { orderNo } = OrderParams.parse(request.params);
    return ctx.services.orders.update(orderNo, OrderPatch.parse(request.body), actor);
  });

  app.put('/api/products/:sku', async (request) => {
    const actor = await admin(request);
    const sku = Sku.parse(z.object({ sku: z.string() }).parse(request.params).sku);
    return ctx.services.catalog.upsertProduct(sku, ProductInput.parse(request.body), actor);
  });

  app.get('/api/products', async (request) => {
    const { all } = ProductListQuery.parse(request.query);
    // Delisted products are the shop's business only.
    if (all) await admin(request);
    else await staff(request);
    return { products: all ? await ctx.services.catalog.allProducts() : await ctx.services.catalog.products() };
  });

  app.patch('/api/products/:sku', async (request) => {
    const actor = await admin(request);
    const sku = Sku.parse(z.object({ sku: z.string() }).parse(request.params).sku);
    const { active } = ProductActiveBody.parse(request.body);
    return ctx.services.catalog.setProductActive(sku, active, actor);
  });

  app.post('/api/faqs', async (request, reply) => {
    const actor = await admin(request);
    const faq = await ctx.services.catalog.createFaq(FaqInput.parse(request.body), actor);
    return reply.status(201).send(faq);
  });

  app.get('/api/faqs', async (request) => {
    await staff(request);
    return { faqs: await ctx.services.catalog.faqs() };
  });

  app.put('/api/faqs/:id', async (request) => {
    const actor = await admin(request);
    return ctx.services.catalog.updateFaq(IdParams.parse(request.params).id, FaqInput.parse(request.body), actor);
  });

  app.delete('/api/faqs/:id', async (request) => {
    const actor = await admin(request);
    await ctx.services.catalog.deleteFaq(IdParams.parse(request.params).id, actor);
    return { deleted: true };
  });

  // Staff routes: agents reach only the customers of their conversations (the services check it).
  app.get('/api/customers', async (request) => {
    const actor = await staff(request);
    const query = CustomerListQuery.parse(request.query);
    const customers = await ctx.services.customers.list(
      { take: query.take, skip: query.skip, ...(query.q ? { query: query.q } : {}) },
      actor,
    );
    return CustomerListResponse.encode({ customers: customers.map(customerSummary) });
  });

  app.get('/api/customers/:id', async (request) => {
    const actor = await staff(request);
    return CustomerProfile.encode(
      customerProfile(await ctx.services.customers.profile(IdParams.parse(request.params).id, actor)),
    );
  });

  app.post('/api/customers/:id/reveal', async (request) => {
    const actor = await staff(request);
    return ctx.services.customers.revealPhone(IdParams.parse(request.params).id, actor);
  });

  app.patch('/api/customers/:id', async (request) => {
    const actor = await staff(request);
    return ctx.services.customers.update(IdParams.parse(request.params).id, CustomerUpdate.parse(request.body), actor);
  });

  app.post('/api/customers/:id/tags', async (request) => {
    const actor = await staff(request);
    const { id } = IdParams.parse(request.params);
    await ctx.services.customers.getFor(id, actor);
    await ctx.services.customers.addTag(id, TagInput.parse(request.body).tag, actor);
    return { tags: await ctx.services.customers.tags(id) };
  });

  app.delete('/api/customers/:id/tags/:tag', async (request) => {
    const actor = await staff(request);
    const { id } = IdParams.parse(request.params);
    const { tag } = z.object({ tag: z.string().min(1).max(64) }).parse(request.params);
    await ctx.services.customers.removeTag(id, tag, actor);
    return { tags: await ctx.services.customers.tags(id) };
  });

  app.post('/api/customers/:id/notes', async (request, reply) => {
    const actor = await staff(request);
    const { id } = IdParams.parse(request.params);
    await ctx.services.customers.getFor(id, actor);
    return reply.status(201).send(await ctx.services.customers.addNote(id, NoteInput.parse(request.body).text, actor));
  });
}
