// Admin API for analytics, segments and campaigns (docs/campaigns.md).
import { z } from 'zod';
import { CampaignInput, CampaignPreviewInput } from '../../crm/campaigns.ts';
import { SegmentInput } from '../../crm/segments.ts';
import { AutomationKey, automationKeys, DeliveryStatus } from '../../domain/campaigns.ts';
import { ChannelName, channelNames } from '../../domain/channels.ts';
import { SegmentRules } from '../../domain/segment-rules.ts';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const PreviewBody = z.object({ rules: SegmentRules, sample: z.number().int().min(0).max(50).default(10) }).strict();
const ResultsQuery = z.object({ windowDays: z.coerce.number().int().min(1).max(90).default(7) });
const DeliveriesQuery = z.object({
  status: DeliveryStatus.optional(),
  after: z.coerce.number().int().min(0).default(0),
  take: z.coerce.number().int().min(1).max(500).default(100),
});
const RiskQuery = z.object({
  take: z.coerce.number().int().min(1).max(500).default(50),
  minRisk: z.coerce.number().min(0).max(1).default(0.5),
});
const WinBackBody = z
  .object({
    customerIds: z.array(z.number().int().positive()).min(1).max(1000),
    text: z.string().trim().min(1).max(2000),
    channels: z
      .array(ChannelName)
      .min(1)
      .default([...channelNames]),
    offerRewardId: z.number().int().positive().optional(),
  })
  .strict();

export function campaignRoutes(app: HttpApp, ctx: HttpContext): void {
  const { admin } = routeGuards(ctx.services.staff, ctx.adminTokenHash);
  const s = ctx.services;

  app.get('/api/analytics/summary', async (request) => {
    await admin(request);
    return s.analytics.dashboard();
  });
  app.post('/api/analytics/recompute', async (request) => {
    const actor = await admin(request);
    const full = z.object({ full: z.boolean().default(false) }).parse(request.body ?? {}).full;
    return s.analytics.recompute({ full, actor });
  });
  app.get('/api/analytics/settings', async (request) => {
    await admin(request);
    return s.analytics.settings();
  });
  app.put('/api/analytics/settings', async (request) => s.analytics.saveSettings(request.body, await admin(request)));
  app.get('/api/analytics/churn-risk', async (request) => {
    await admin(request);
    const q = RiskQuery.parse(request.query);
    return { customers: await s.analytics.churnRisk(q.take, q.minRisk) };
  });
  /** "Send a win-back offer" from the churn-risk list: a one-off campaign to the chosen customers. */
  app.post('/api/analytics/win-back', async (request, reply) => {
    const actor = await admin(request);
    const body = WinBackBody.parse(request.body);
    const campaign = await s.campaigns.create(
      {
        name: `挽回 win-back ${ctx.clock.now().toISOString().slice(0, 10)}`,
        audience: { rules: { type: 'customers', ids: body.customerIds } },
        message: { text: body.text },
        channels: body.channels,
        ...(body.offerRewardId ? { offerRewardId: body.offerRewardId } : {}),
      },
      actor,
    );
    return reply.status(201).send(campaign);
  });

  app.post('/api/segments/preview', async (request) => {
    await admin(request);
    const body = PreviewBody.parse(request.body);
    return s.segments.preview(body.rules, body.sample);
  });
  app.get('/api/segments', async (request) => {
    await admin(request);
    return { segments: await s.segments.list() };
  });
  app.post('/api/segments', async (request, reply) => {
    const actor = await admin(request);
    return reply.status(201).send(await s.segments.create(SegmentInput.parse(request.body), actor));
  });
  app.put('/api/segments/:id', async (request) => {
    const actor = await admin(request);
    return s.segments.update(IdParams.parse(request.params).id, SegmentInput.parse(request.body), actor);
  });
  app.delete('/api/segments/:id', async (request) => {
    const actor = await admin(request);
    await s.segments.remove(IdParams.parse(request.params).id, actor);
    return { deleted: true };
  });
  app.get('/api/segments/:id', async (request) => {
    await admin(request);
    const segment = await s.segments.get(IdParams.parse(request.params).id);
    return { ...segment, preview: await s.segments.preview(await s.segments.rulesOf(segment.id), 10) };
  });

  app.get('/api/campaigns', async (request) => {
    await admin(request);
    return { campaigns: await s.campaigns.list() };
  });
  app.post('/api/campaigns', async (request, reply) => {
    const actor = await admin(request);
    return reply.status(201).send(await s.campaigns.create(CampaignInput.parse(request.body), actor));
  });
  /** A draft or scheduled campaign edited (409 once it has started sending). */
  app.put('/api/campaigns/:id', async (request) => {
    const actor = await admin(request);
    const { id } = IdParams.parse(request.params);
    return s.campaigns.edit(id, CampaignInput.parse(request.body), actor);
  });
  /** The message as the chosen customer would read it (their language and placeholders). */
  app.post('/api/campaigns/preview', async (request) => {
    await admin(request);
    return s.campaigns.preview(CampaignPreviewInput.parse(request.body));
  });
  app.get('/api/campaigns/:id', async (request) => {
    await admin(request);
    const { id } = IdParams.parse(request.params);
    return { ...(await s.campaigns.get(id)), progress: await s.campaigns.progress(id) };
  });
  for (const action of ['start', 'pause', 'resume', 'cancel'] as const) {
    app.post(`/api/campaigns/:id/${action}`, async (request) => {
      const actor = await admin(request);
      return s.campaigns[action](IdParams.parse(request.params).id, actor);
    });
  }
  app.get('/api/campaigns/:id/progress', async (request) => {
    await admin(request);
    return s.campaigns.progress(IdParams.parse(request.params).id);
  });
  app.get('/api/campaigns/:id/results', async (request) => {
    await admin(request);
    return s.campaigns.results(IdParams.parse(request.params).id, ResultsQuery.parse(request.query).windowDays);
  });
  app.get('/api/campaigns/:id/deliveries', async (request) => {
    await admin(request);
    const q = DeliveriesQuery.parse(request.query);
    const { id } = IdParams.parse(request.params);
    return {
      deliveries: await s.campaigns.deliveries(id, {
        take: q.take,
        afterId: q.after,
        ...(q.status ? { status: q.status } : {}),
      }),
    };
  });
  /** Live progress as server-sent events (one snapshot per second while the client listens). */
  app.get('/api/campaigns/:id/stream', async (request, reply) => {
    await admin(request);
    const { id } = IdParams.parse(request.params);
    await s.campaigns.get(id);
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const push = async () => reply.raw.write(`data: ${JSON.stringify(await s.campaigns.progress(id))}\n\n`);
    await push();
    const timer = setInterval(() => void push().catch(() => clearInterval(timer)), 1000);
    request.raw.on('close', () => clearInterval(timer));
    return reply;
  });

  app.get('/api/automations', async (request) => {
    await admin(request);
    const entries = await Promise.all(automationKeys.map(async (key) => [key, await s.automations.settings(key)]));
    return { automations: Object.fromEntries(entries) };
  });
  app.put('/api/automations/:key', async (request) => {
    const actor = await admin(request);
    const key = AutomationKey.parse(z.object({ key: z.string() }).parse(request.params).key);
    return s.automations.configure(key, request.body, actor);
  });
  /** Evaluates the triggers now (the scheduler does this every 15 minutes). */
  app.post('/api/automations/run', async (request) => {
    await admin(request);
    return { added: await s.automations.run() };
  });
}
