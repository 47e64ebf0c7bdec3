// Admin API (ARCHITECTURE.md section 7): orders, products, FAQs, customer profiles.
import { z } from 'zod';
import { FaqInput, ProductInput, Sku } from '../../crm/catalog.ts';
import { OrderInput, OrderPatch } from '../../crm/orders.ts';
import { CustomerUpdate, NoteInput, TagInput } from '../../domain/customer-input.ts';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';
import { CustomerListQuery, CustomerListResponse, CustomerProfile } from '../schemas/customers.ts';
import { customerProfile, customerSummary } from './customer-views.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const OrderParams = z.object({ orderNo: z.string().min(1).max(64) });

export function adminRoutes(app: HttpApp, ctx: HttpContext): void {
  const { admin, staff } = routeGuards(ctx.services.staff, ctx.adminToken, ctx.clock);

  app.post('/api/orders', async (request) => {
    const actor = await admin(request);
    return ctx.services.orders.upsert(OrderInput.parse(request.body), actor);
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
    await staff(request);
    return { products: await ctx.services.catalog.products() };
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

  app.get('/api/customers', async (request) => {
    await staff(request);
    const query = CustomerListQuery.parse(request.query);
    const customers = await ctx.services.customers.list({
      take: query.take,
      skip: query.skip,
      ...(query.q ? { query: query.q } : {}),
    });
    return CustomerListResponse.encode({ customers: customers.map(customerSummary) });
  });

  app.get('/api/customers/:id', async (request) => {
    await staff(request);
    return CustomerProfile.encode(
      customerProfile(await ctx.services.customers.profile(IdParams.parse(request.params).id)),
    );
  });

  app.patch('/api/customers/:id', async (request) => {
    const actor = await staff(request);
    return ctx.services.customers.update(IdParams.parse(request.params).id, CustomerUpdate.parse(request.body), actor);
  });

  app.post('/api/customers/:id/tags', async (request) => {
    const actor = await staff(request);
    const { id } = IdParams.parse(request.params);
    await ctx.services.customers.get(id);
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
    await ctx.services.customers.get(id);
    return reply.status(201).send(await ctx.services.customers.addNote(id, NoteInput.parse(request.body).text, actor));
  });
}
