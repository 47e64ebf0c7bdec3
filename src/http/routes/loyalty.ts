// Loyalty API: customer ledger view and export, manual adjustments (reason required, audited), the
// rewards catalog and its code pool, and the ledger check behind `guanxi verify`.
import { z } from 'zod';
import { LoyaltyReportQuery } from '../../crm/loyalty-report.ts';
import { AdjustInput, CodesInput, RewardInput, RewardPatch } from '../../domain/loyalty-input.ts';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const LedgerQuery = z.object({
  take: z.coerce.number().int().min(1).max(500).default(100),
  skip: z.coerce.number().int().min(0).default(0),
});
const ExportQuery = z.object({ customerId: z.coerce.number().int().positive().optional() });
const RewardsQuery = z.object({ all: z.enum(['true', 'false']).optional() });

export function loyaltyRoutes(app: HttpApp, ctx: HttpContext): void {
  const { admin, staff } = routeGuards(ctx.services.staff, ctx.adminTokenHash);
  const { loyalty, rewards } = ctx.services;

  /** Points per week, members per tier, balance bands and top rewards (days and weeks on the shop's clock). */
  app.get('/api/loyalty/report', async (request) => {
    await admin(request);
    return ctx.services.loyaltyReport.report(LoyaltyReportQuery.parse(request.query));
  });

  app.get('/api/customers/:id/points', async (request) => {
    const actor = await staff(request);
    const { id } = IdParams.parse(request.params);
    const { take, skip } = LedgerQuery.parse(request.query);
    return loyalty.ledger(id, actor, take, skip);
  });

  app.post('/api/customers/:id/points/adjust', async (request, reply) => {
    const actor = await staff(request);
    const { id } = IdParams.parse(request.params);
    const entry = await loyalty.adjust(id, AdjustInput.parse(request.body), actor);
    return reply.status(201).send({ entry, balance: await loyalty.balance(id) });
  });

  app.get('/api/customers/:id/points.csv', async (request, reply) => {
    const actor = await staff(request);
    const { id } = IdParams.parse(request.params);
    await ctx.services.customers.getFor(id, actor);
    const csv = await loyalty.exportCsv(actor, id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="points-${id}.csv"`)
      .send(csv);
  });

  app.get('/api/points/export.csv', async (request, reply) => {
    const actor = await admin(request);
    const { customerId } = ExportQuery.parse(request.query);
    const csv = await loyalty.exportCsv(actor, customerId);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="points-ledger.csv"')
      .send(csv);
  });

  app.get('/api/points/verify', async (request) => {
    await admin(request);
    const mismatches = await loyalty.verify();
    return { ok: mismatches.length === 0, mismatches };
  });

  app.get('/api/rewards', async (request) => {
    await staff(request);
    const { all } = RewardsQuery.parse(request.query);
    return { rewards: await rewards.list({ activeOnly: all !== 'true' }) };
  });

  app.post('/api/rewards', async (request, reply) => {
    const actor = await admin(request);
    return reply.status(201).send(await rewards.create(RewardInput.parse(request.body), actor));
  });

  app.patch('/api/rewards/:id', async (request) => {
    const actor = await admin(request);
    const { id } = IdParams.parse(request.params);
    return rewards.update(id, RewardPatch.parse(request.body), actor);
  });

  app.post('/api/rewards/:id/codes', async (request, reply) => {
    const actor = await admin(request);
    const { id } = IdParams.parse(request.params);
    const { codes } = CodesInput.parse(request.body);
    return reply.status(201).send(await rewards.addCodes(id, codes, actor));
  });
}
