// Staff console API (docs/staff.md): login, the live queue, conversation actions, canned replies,
// staff accounts (admin), service metrics and a live event stream (SSE).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { publicStaff } from '../../crm/staff-accounts.ts';
import type { DeskUser } from '../../crm/staff-desk.ts';
import { InvalidInputError, UnauthorizedError } from '../../domain/errors.ts';
import { CannedInput, StaffInput, StaffPatch } from '../../domain/staff-input.ts';
import { actorOf, authenticate, type Principal, principalOf, requireAdmin } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';
import {
  ActionResponse,
  CannedListResponse,
  ConversationResponse,
  type LiveEvent,
  LiveEvent as LiveEventSchema,
  LoginBody,
  LoginResponse,
  MeResponse,
  MetricsQuery,
  MetricsResponse,
  NoteBody,
  OwnSettings,
  PresenceBody,
  QueueQuery,
  QueueResponse,
  ReplyBody,
  StaffListResponse,
  TokenResponse,
  TransferBody,
  TypingBody,
  UploadResponse,
} from '../schemas/console.ts';
import { ConversationStatus } from '../schemas/vocabulary.ts';
import { uploadedImage } from './attachments.ts';
import { adminView, conversationDetail, messageView, queueItem, shopView, staffView } from './console-views.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const StaffListQuery = z.object({ all: z.enum(['true', 'false']).transform((v) => v === 'true') }).partial();
const ShortcutParams = z.object({ shortcut: z.string().min(1).max(32) });

function deskUser(principal: Principal): DeskUser {
  return principal.kind === 'admin'
    ? { staffId: null, role: 'admin', name: 'admin', source: 'web' }
    : { staffId: principal.staffId, role: principal.role, name: principal.name, source: 'web' };
}

export function consoleRoutes(app: HttpApp, ctx: HttpContext): void {
  const { services } = ctx;
  const who = (request: FastifyRequest) => authenticate(request, ctx.services.staff, ctx.adminTokenHash);
  const user = async (request: FastifyRequest) => deskUser(await who(request));
  const me = async (principal: Principal) =>
    principal.kind === 'admin' ? adminView : staffView(await services.staff.get(principal.staffId));
  const conversationId = (request: FastifyRequest) => IdParams.parse(request.params).id;
  const action = (c: { id: number; status: string; assigneeId: number | null }) =>
    ActionResponse.encode({
      conversation: { id: c.id, status: ConversationStatus.parse(c.status), assigneeId: c.assigneeId },
    });

  app.post('/api/console/login', async (request) => {
    const body = LoginBody.parse(request.body);
    let staffId: number;
    if ('token' in body) {
      const principal = await principalOf(body.token, ctx.services.staff, ctx.adminTokenHash);
      if (principal.kind === 'admin')
        return LoginResponse.encode({ token: body.token, expiresAt: null, staff: adminView });
      staffId = principal.staffId;
    } else {
      const staff = await services.staff.login(body.username, body.password);
      if (!staff) throw new UnauthorizedError('wrong username or password');
      staffId = staff.id;
    }
    const staff = await services.staff.get(staffId);
    const { token, session } = await services.staff.sessions.start(staff.id);
    return LoginResponse.encode({ token, expiresAt: session.expiresAt, staff: staffView(staff) });
  });

  app.get('/api/console/me', async (request) =>
    MeResponse.encode({ staff: await me(await who(request)), shop: shopView(ctx.config) }),
  );

  /** Staff change their own settings (the console's language); the ADMIN_TOKEN holder keeps it in the browser. */
  app.patch('/api/console/me', async (request) => {
    const principal = await who(request);
    const { locale } = OwnSettings.parse(request.body);
    if (principal.kind === 'admin') throw new InvalidInputError('settings need a staff account');
    await services.staff.setLocale(principal.staffId, locale, actorOf(principal));
    return MeResponse.encode({ staff: await me(principal), shop: shopView(ctx.config) });
  });

  app.post('/api/console/presence', async (request) => {
    const principal = await who(request);
    if (principal.kind === 'admin') throw new InvalidInputError('presence needs a staff account');
    const { online } = PresenceBody.parse(request.body);
    const staff = await services.staff.setOnline(principal.staffId, online, actorOf(principal));
    if (online) await services.escalation.autoAssign();
    return { staff: publicStaff(staff) };
  });

  app.get('/api/console/queue', async (request) => {
    const desk = await user(request);
    const rows = await services.desk.queue(desk, QueueQuery.parse(request.query));
    return QueueResponse.encode({ conversations: rows.map(queueItem) });
  });

  app.get('/api/console/conversations/:id', async (request) => {
    const view = await services.desk.view(await user(request), conversationId(request));
    return {
      // The profile parts stay for the Telegram /profile and older clients; the console reads /api/customers/:id.
      ...view,
      ...ConversationResponse.encode({
        conversation: conversationDetail(view.conversation),
        messages: view.messages.map(messageView),
      }),
    };
  });

  app.post('/api/console/conversations/:id/take', async (request) =>
    action(await services.desk.take(await user(request), conversationId(request))),
  );
  app.post('/api/console/conversations/:id/release', async (request) =>
    action(await services.desk.release(await user(request), conversationId(request))),
  );
  app.post('/api/console/conversations/:id/requeue', async (request) =>
    action(await services.desk.requeue(await user(request), conversationId(request))),
  );
  app.post('/api/console/conversations/:id/resolve', async (request) =>
    action(await services.desk.resolve(await user(request), conversationId(request))),
  );
  app.post('/api/console/conversations/:id/reopen', async (request) =>
    action(await services.desk.reopen(await user(request), conversationId(request))),
  );
  app.post('/api/console/conversations/:id/transfer', async (request) => {
    const desk = await user(request);
    const body = TransferBody.parse(request.body);
    return action(await services.desk.transfer(desk, conversationId(request), body.staffId, body.note));
  });
  /** A photo staff will send in a conversation they may act on; the reply then names it in `attachments`. */
  app.post('/api/console/conversations/:id/attachments', async (request, reply) => {
    const desk = await user(request);
    const { bytes, name } = await uploadedImage(request, services.attachments.maxBytes);
    const saved = await services.desk.uploadPhoto(desk, conversationId(request), bytes, name);
    return reply.status(201).send(UploadResponse.encode({ id: saved.id }));
  });
  app.post('/api/console/conversations/:id/reply', async (request) => {
    const desk = await user(request);
    const id = conversationId(request);
    const body = ReplyBody.parse(request.body);
    return action(
      'shortcut' in body
        ? await services.desk.replyCanned(desk, id, body.shortcut)
        : await services.desk.reply(desk, id, body.text ?? '', body.attachments),
    );
  });
  // Live only (the customer sees "… is typing"); nothing is stored.
  app.post('/api/console/conversations/:id/typing', async (request) => {
    const desk = await user(request);
    const { typing } = TypingBody.parse(request.body);
    await services.desk.typing(desk, conversationId(request), typing);
    return { ok: true };
  });
  app.post('/api/console/conversations/:id/notes', async (request, reply) => {
    await services.desk.note(await user(request), conversationId(request), NoteBody.parse(request.body).text);
    return reply.status(201).send({ ok: true });
  });

  app.get('/api/console/canned', async (request) => {
    await who(request);
    return CannedListResponse.encode({ cannedReplies: await services.staff.cannedReplies() });
  });
  app.put('/api/console/canned/:shortcut', async (request) => {
    const principal = await who(request);
    requireAdmin(principal);
    const { shortcut } = ShortcutParams.parse(request.params);
    return services.staff.upsertCanned(shortcut, CannedInput.parse(request.body), actorOf(principal));
  });
  app.delete('/api/console/canned/:shortcut', async (request) => {
    const principal = await who(request);
    requireAdmin(principal);
    const { shortcut } = ShortcutParams.parse(request.params);
    await services.staff.deleteCanned(shortcut, actorOf(principal));
    return { deleted: true };
  });

  app.get('/api/console/staff', async (request) => {
    const principal = await who(request);
    // Deactivated accounts too only for admins (who may reactivate them); everyone else sees the team.
    const { all } = StaffListQuery.parse(request.query);
    if (all) requireAdmin(principal);
    const staff = (await services.staff.list()).filter((s) => all || s.active).map(staffView);
    return StaffListResponse.encode({ staff });
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
    return TokenResponse.encode({ token: await services.staff.issueToken(id, actorOf(principal)) });
  });

  app.get('/api/console/metrics', async (request) => {
    await who(request);
    return MetricsResponse.encode(await services.serviceMetrics.compute(MetricsQuery.parse(request.query)));
  });

  /**
   * Live events (SSE) for the console. The console reads it with fetch and its Authorization header,
   * so no credential ever sits in a URL. Agents only hear about conversations they may see.
   */
  app.get('/api/console/events', async (request, reply) => {
    const desk = await user(request);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (event: LiveEvent) =>
      raw.write(`event: ${event.type}\ndata: ${JSON.stringify(LiveEventSchema.encode(event))}\n\n`);
    // Agents only hear about conversations they may see; the check reads the row at event time.
    const visible = async (conversationId: number | null) =>
      conversationId !== null && (await services.desk.mayWatch(desk, conversationId));
    // A live view: events from every instance (several instances on PostgreSQL share them).
    const live = { remote: true };
    const offs = [
      ctx.events.on(
        'conversation',
        (event) => {
          // Everyone hears status changes so a taken chat disappears from every agent's queue.
          const status = ConversationStatus.safeParse(event.status);
          if (status.success) {
            send({ type: 'conversation', id: event.id, status: status.data, assigneeId: event.assigneeId });
          }
        },
        live,
      ),
      ctx.events.on(
        'interaction',
        (event) => {
          const id = event.conversationId;
          if (id === null) return;
          void visible(id).then((ok) => {
            if (ok) send({ type: 'interaction', conversationId: id, kind: event.kind, direction: event.direction });
          });
        },
        live,
      ),
      ctx.events.on(
        'desk',
        (event) => {
          void visible(event.conversationId).then((ok) => {
            if (!ok && event.staffId !== desk.staffId) return;
            send({
              type: 'desk',
              kind: event.type,
              conversationId: event.conversationId,
              staffId: event.staffId ?? null,
              text: event.text ?? null,
              byName: event.byName ?? null,
            });
          });
        },
        live,
      ),
    ];
    const heartbeat = setInterval(() => raw.write(': ping\n\n'), 15_000);
    request.raw.on('close', () => {
      for (const off of offs) off();
      clearInterval(heartbeat);
    });
    send({ type: 'ready', staffId: desk.staffId });
  });
}
