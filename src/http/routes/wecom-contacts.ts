// WeCom 客户联系: the callback on WECOM_CALLBACK_PATH (shared with 微信客服: each receiver is offered
// the request in turn, and one whose keys do not verify it passes it on) and the admin API for
// 渠道活码, the per-source report and the tag push (docs/channels.md "WeCom 客户联系").
import { z } from 'zod';
import { UnauthorizedError } from '../../domain/errors.ts';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';
import { ContactWayInput, TagPushInput } from '../schemas/wecom.ts';

/** What a signed-callback receiver made of a request (adapters/wecom/contacts/callback.ts implements it). */
export type CallbackOutcome = { ok: true; text: string } | { ok: false; reason: 'refused' | 'not_mine' };

export interface CallbackReceiver {
  /** GET: the admin console's URL check. */
  verify(query: unknown): CallbackOutcome;
  /** POST: an encrypted event, handled before the answer. */
  receive(query: unknown, body: string): Promise<CallbackOutcome>;
}

/** Callback bodies are a few hundred bytes. */
const CALLBACK_BODY_LIMIT = 64 * 1024;

/** The WeCom callback on `path`, offered to each receiver in turn; 401 when no receiver's keys verify it. */
export function wecomCallbackRoute(path: string, receivers: CallbackReceiver[]): (app: HttpApp) => void {
  return (app: HttpApp) => {
    // A scope of its own, so the XML body parser stays local to the callback.
    void app.register(async (scope) => {
      scope.addContentTypeParser(
        ['text/xml', 'application/xml'],
        { parseAs: 'string', bodyLimit: CALLBACK_BODY_LIMIT },
        (_request, body, done) => done(null, body),
      );
      scope.get(path, async (request, reply) => {
        for (const receiver of receivers) {
          const outcome = receiver.verify(request.query);
          if (outcome.ok) return reply.type('text/plain; charset=utf-8').send(outcome.text);
        }
        throw new UnauthorizedError('callback signature does not verify');
      });
      scope.post(path, { bodyLimit: CALLBACK_BODY_LIMIT }, async (request, reply) => {
        const body = typeof request.body === 'string' ? request.body : '';
        let refused = false;
        for (const receiver of receivers) {
          const outcome = await receiver.receive(request.query, body);
          if (outcome.ok) return reply.type('text/plain; charset=utf-8').send(outcome.text);
          if (outcome.reason === 'refused') refused = true;
        }
        if (refused || receivers.length === 0) throw new UnauthorizedError('callback signature does not verify');
        // Verified but nobody here acts on it: WeCom must not redeliver it.
        return reply.type('text/plain; charset=utf-8').send('success');
      });
    });
  };
}

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
