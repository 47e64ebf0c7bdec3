// Staff console API (docs/staff.md): login, the live queue, conversation actions, canned replies,
// staff accounts (admin), service metrics and a live event stream (SSE).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MetricsQuery } from '../../crm/service-metrics.ts';
import { publicStaff } from '../../crm/staff-accounts.ts';
import type { DeskUser } from '../../crm/staff-desk.ts';
import { CannedInput, StaffInput, StaffPatch } from '../../domain/staff-input.ts';
import { actorOf, authenticate, issueSession, type Principal, principalOf, requireAdmin } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';
import { HttpError } from '../errors.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const LoginBody = z.union([
  z.object({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) }).strict(),
  z.object({ token: z.string().min(1).max(200) }).strict(),
]);
const ReplyBody = z.union([
  z.object({ text: z.string().trim().min(1).max(4000) }).strict(),
  z.object({ shortcut: z.string().trim().min(1).max(32) }).strict(),
]);
const NoteBody = z.object({ text: z.string().trim().min(1).max(4000) }).strict();
const TransferBody = z.object({ staffId: z.number().int().positive() }).strict();
const PresenceBody = z.object({ online: z.boolean() }).strict();
const ShortcutParams = z.object({ shortcut: z.string().min(1).max(32) });

function deskUser(principal: Principal): DeskUser {
  return principal.kind === 'admin'
    ? { staffId: null, role: 'admin', name: 'admin', source: 'web' }
    : { staffId: principal.staffId, role: principal.role, name: principal.name, source: 'web' };
}

export function consoleRoutes(app: HttpApp, ctx: HttpContext): void {
  const { services } = ctx;
  const who = (request: FastifyRequest) => authenticate(request, ctx.store, ctx.adminToken, ctx.clock.now());
  const user = async (request: FastifyRequest) => deskUser(await who(request));

  app.post('/api/console/login', async (request) => {
    const body = LoginBody.parse(request.body);
    let staffId: number;
    if ('token' in body) {
      const principal = await principalOf(body.token, ctx.store, ctx.adminToken, ctx.clock.now());
      if (principal.kind === 'admin') {
        return { token: body.token, staff: { id: null, username: 'admin', name: 'admin', role: 'admin' } };
      }
      staffId = principal.staffId;
    } else {
      const staff = await services.staff.login(body.username, body.password);
      if (!staff) throw new HttpError(401, 'unauthorized', 'wrong username or password');
      staffId = staff.id;
    }
    const staff = await services.staff.get(staffId);
    const session = issueSession(staff.id, ctx.adminToken, ctx.clock.now());
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), staff: publicStaff(staff) };
  });

  app.get('/api/console/me', async (request) => {
    const principal = await who(request);
    if (principal.kind === 'admin') return { staff: { id: null, username: 'admin', name: 'admin', role: 'admin' } };
    return { staff: publicStaff(await services.staff.get(principal.staffId)) };
  });

  app.post('/api/console/presence', async (request) => {
    const principal = await who(request);
    if (principal.kind === 'admin') throw new HttpError(400, 'no_staff_account', 'presence needs a staff account');
    const { online } = PresenceBody.parse(request.body);
    const staff = await services.staff.setOnline(principal.staffId, online, actorOf(principal));
    if (online) await services.escalation.autoAssign();
    return { staff: publicStaff(staff) };
  });

  app.get('/api/console/queue', async (request) => {
    const rows = await services.desk.queue(await user(request));
    return {
      conversations: rows.map(({ assignee, customer, chat, flowState: _state, ...c }) => ({
        ...c,
        customer: { id: customer.id, name: customer.name, tier: customer.tier },
        chat: { id: chat.id, channel: chat.channel, kind: chat.kind, title: chat.title },
        assignee: assignee ? { id: assignee.id, name: assignee.name } : null,
      })),
    };
  });

  app.get('/api/console/conversations/:id', async (request) => {
    return services.desk.view(await user(request), IdParams.parse(request.params).id);
  });

  app.post('/api/console/conversations/:id/take', async (request) => ({
    conversation: await services.desk.take(await user(request), IdParams.parse(request.params).id),
  }));
  app.post('/api/console/conversations/:id/release', async (request) => ({
    conversation: await services.desk.release(await user(request), IdParams.parse(request.params).id),
  }));
  app.post('/api/console/conversations/:id/requeue', async (request) => ({
    conversation: await services.desk.requeue(await user(request), IdParams.parse(request.params).id),
  }));
  app.post('/api/console/conversations/:id/resolve', async (request) => ({
    conversation: await services.desk.resolve(await user(request), IdParams.parse(request.params).id),
  }));
  app.post('/api/console/conversations/:id/transfer', async (request) => ({
    conversation: await services.desk.transfer(
      await user(request),
      IdParams.parse(request.params).id,
      TransferBody.parse(request.body).staffId,
    ),
  }));
  app.post('/api/console/conversations/:id/reply', async (request) => {
    const desk = await user(request);
    const { id } = IdParams.parse(request.params);
    const body = ReplyBody.parse(request.body);
    const conversation =
      'text' in body
        ? await services.desk.reply(desk, id, body.text)
        : await services.desk.replyCanned(desk, id, body.shortcut);
    return { conversation };
  });
  app.post('/api/console/conversations/:id/notes', async (request, reply) => {
    await services.desk.note(await user(request), IdParams.parse(request.params).id, NoteBody.parse(request.body).text);
    return reply.status(201).send({ ok: true });
  });

  app.get('/api/console/canned', async (request) => {
    await who(request);
    return { cannedReplies: await services.staff.cannedReplies() };
  });
  app.put('/api/console/canned/:shortcut', async (request) => {
    const principal = await who(request);
    requireAdmin(principal);
    const { shortcut } = ShortcutParams.parse(request.params);
    return services.staff.upsertCanned(shortcut, CannedInput.parse(request.body), actorOf(principal));
  });

  app.get('/api/console/staff', async (request) => {
    await who(request);
    return {
      staff: (await services.staff.list())
        .filter((s) => s.active)
        .map((s) => ({
          id: s.id,
          username: s.username,
          name: s.name,
          role: s.role,
          online: s.online,
          capacity: s.capacity,
        })),
    };
  });
  app.post('/api/console/staff', async (request, reply) => {
    const principal = await who(request);
    requireAdmin(principal);
    const staff = await services.staff.create(StaffInput.parse(request.body), actorOf(principal));
    return reply.status(201).send(publicStaff(staff));
  });
  app.patch('/api/console/staff/:id', async (request) => {
    const principal = await who(request);
    requireAdmin(principal);
    const { id } = IdParams.parse(request.params);
    return publicStaff(await services.staff.update(id, StaffPatch.parse(request.body), actorOf(principal)));
  });
  app.post('/api/console/staff/:id/token', async (request) => {
    const principal = await who(request);
    requireAdmin(principal);
    const { id } = IdParams.parse(request.params);
    return { token: await services.staff.issueToken(id, actorOf(principal)) };
  });

  app.get('/api/console/metrics', async (request) => {
    await who(request);
    return services.serviceMetrics.compute(MetricsQuery.parse(request.query));
  });

  app.get('/api/console/events', async (request, reply) => {
    const desk = await user(request);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    // Agents only hear about conversations they may see; the check reads the row at event time.
    const visible = async (conversationId: number | null) => {
      if (conversationId === null) return false;
      const row = await ctx.store.repos.conversations.get(conversationId);
      return row ? services.desk.canSee(desk, row) || desk.staffId === row.assigneeId : false;
    };
    const offs = [
      ctx.events.on('conversation', (event) => {
        // Everyone hears status changes so a taken chat disappears from every agent's queue.
        send('conversation', { id: event.id, status: event.status, assigneeId: event.assigneeId });
      }),
      ctx.events.on('interaction', (event) => {
        void visible(event.conversationId).then((ok) => {
          if (ok) send('interaction', { conversationId: event.conversationId, kind: event.kind });
        });
      }),
      ctx.events.on('desk', (event) => {
        void visible(event.conversationId).then((ok) => {
          if (ok || event.staffId === desk.staffId) send('desk', event);
        });
      }),
    ];
    const heartbeat = setInterval(() => raw.write(': ping\n\n'), 15_000);
    request.raw.on('close', () => {
      for (const off of offs) off();
      clearInterval(heartbeat);
    });
    send('ready', { staffId: desk.staffId, role: desk.role });
  });
}
