// WeCom 客户联系: the admin API for 渠道活码, the per-source report and the tag push (docs/channels.md
// "WeCom 客户联系"). Its callbacks arrive on WECOM_CALLBACK_PATH (adapters/wecom/endpoint.ts).
import { z } from 'zod';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';
import { ContactWayInput, TagPushInput } from '../schemas/wecom.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });

export function wecomContactRoutes(app: HttpApp, ctx: HttpContext): void {
  const { admin } = routeGuards(ctx.services.staff, ctx.adminTokenHash);
  const contacts = ctx.services.wecomContacts;

  app.get('/api/wecom/contact-ways', async (request) => {
    await admin(request);
    return { enabled: contacts.enabled, contactWays: await contacts.contactWays() };
  });
  app.post('/api/wecom/contact-ways', async (request, reply) => {
    const actor = await admin(request);
    const input = ContactWayInput.parse(request.body);
    return reply.status(201).send(await contacts.createContactWay(input, actor));
  });
  app.get('/api/wecom/contact-report', async (request) => {
    await admin(request);
    return contacts.sourceReport();
  });
  app.post('/api/wecom/tags/push', async (request) => {
    const actor = await admin(request);
    return contacts.pushTags(TagPushInput.parse(request.body), actor);
  });
  /** A campaign's deliveries handed to WeCom 群发 tasks, by state (staff confirm each task in WeCom). */
  app.get('/api/wecom/campaigns/:id/group-sends', async (request) => {
    await admin(request);
    await ctx.services.campaigns.get(IdParams.parse(request.params).id);
    return contacts.groupSendSummary(IdParams.parse(request.params).id);
  });
}
