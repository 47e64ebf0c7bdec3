// The webchat API (ARCHITECTURE.md §7 and §10 "Webchat"): send a message, read the thread, stream it.
// Every route carries the visitor's secret in `X-Visitor-Secret` (never in a URL); the service checks it.
import { z } from 'zod';
import { asMessageAttachment } from '../../crm/attachments.ts';
import type { OutboxMessage } from '../../crm/records.ts';
import { SignedIdentityInput } from '../../crm/signed-identity.ts';
import { type Thread, ThreadCursor } from '../../crm/webchat.ts';
import { Button } from '../../domain/messages.ts';
import { PhoneText } from '../../domain/phone.ts';
import type { DomainEvents } from '../../kernel/events.ts';
import type { Locale } from '../../kernel/i18n.ts';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';

const VisitorId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'visitorId uses A-Z, a-z, 0-9, _ . : -');

/** The visitor secret header: generated and kept by the client, bound by the first message. */
export const VisitorSecret = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,128}$/, 'X-Visitor-Secret is 16-128 characters of A-Z a-z 0-9 _ -')
  .optional();

export const WebchatMessageBody = z
  .object({
    visitorId: VisitorId,
    text: z.string().max(4096, 'text is limited to 4096 characters').optional(),
    /** The pressed button's data; without text it opens the chat (the greeting) and shows no bubble. */
    action: z.string().trim().min(1).max(512).optional(),
    messageId: z.string().trim().min(1).max(100).optional(),
    /** Ids from the upload route. */
    attachments: z.array(z.string().trim().min(1).max(100)).max(10).optional(),
    /** The widget's pre-chat form. */
    profile: z
      .object({
        name: z.string().trim().min(1).max(100).optional(),
        phone: PhoneText.optional(),
      })
      .strict()
      .optional(),
    /** The widget's consent checkbox (unchecked by default): true gives marketing consent. */
    marketingConsent: z.boolean().optional(),
    /** The shop's signed identity of a logged-in customer. */
    identity: SignedIdentityInput.optional(),
  })
  .strict()
  .refine((b) => (b.text !== undefined && b.text.trim() !== '') || b.action !== undefined || b.attachments?.length, {
    message: 'send text, an action or an attachment',
  });
export type WebchatMessageBody = z.infer<typeof WebchatMessageBody>;

const VisitorParams = z.object({ visitorId: VisitorId });
const AfterQuery = z.object({ after: ThreadCursor.optional() });
const StreamQuery = z.object({
  ticket: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'ticket from stream-ticket'),
  after: ThreadCursor.optional(),
});

function secretOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  return VisitorSecret.parse(headers['x-visitor-secret']);
}

/** The first language an Accept-Language header names, if it is one the shop speaks (zh or en). */
function languageOf(header: string | undefined): Locale | undefined {
  const first = header?.split(',')[0]?.trim().toLowerCase() ?? '';
  if (first.startsWith('en')) return 'en';
  if (first.startsWith('zh')) return 'zh-CN';
  return undefined;
}

function toReply(row: OutboxMessage) {
  const buttons = Button.array().safeParse(row.buttons);
  return { text: row.text, ...(buttons.success && buttons.data.length ? { buttons: buttons.data } : {}) };
}

/** What the widget is told about staff typing: who, and whether they still are. */
function typingSignal(event: DomainEvents['typing']): { typing: boolean; staffName: string } {
  return { typing: event.typing, staffName: event.staffName };
}

export function webchatRoutes(app: HttpApp, ctx: HttpContext): void {
  const { webchat, webchatSettings } = ctx.services;
  const { admin } = routeGuards(ctx.services.staff, ctx.adminTokenHash);

  // Public: the widget reads how to look before the visitor has a secret.
  app.get('/api/webchat/settings', async () => webchatSettings.get());

  app.put('/api/webchat/settings', async (request) => {
    const actor = await admin(request);
    return webchatSettings.save(request.body ?? {}, actor);
  });

  app.post('/api/webchat/messages', async (request) => {
    const body = WebchatMessageBody.parse(request.body);
    // Signed identity: an invalid hash is 401 before any write (also before the visitor secret binds);
    // a valid one links the visitor to the shop's customer once the visitor is authorized.
    if (body.identity) ctx.services.signedIdentity.verify(body.identity);
    await webchat.authorize(body.visitorId, secretOf(request.headers), 'bind');
    if (body.identity) await ctx.services.signedIdentity.link(body.visitorId, body.identity);
    else await ctx.services.signedIdentity.checkBare(body.visitorId);
    await webchat.hintLanguage(body.visitorId, languageOf(request.headers['accept-language']));
    const files = await ctx.services.attachments.ofSender('webchat', body.visitorId, body.attachments ?? []);
    const { messageId, result } = await ctx.webchat.receive(
      {
        visitorId: body.visitorId,
        ...(files.length ? { attachments: files.map(asMessageAttachment) } : {}),
        ...(body.text !== undefined ? { text: body.text } : {}),
        ...(body.action !== undefined ? { action: body.action } : {}),
        ...(body.messageId !== undefined ? { messageId: body.messageId } : {}),
        ...(body.profile?.name ? { name: body.profile.name } : {}),
      },
      ctx.clock.now(),
    );
    if (result.status !== 'duplicate') await webchat.applyVisitorChoices(body.visitorId, body);
    await ctx.sender.drainChannel('webchat');
    const rows = await webchat.repliesTo(body.visitorId, messageId);
    const conversation = result.conversation ?? (await webchat.conversationOf(messageId));
    return { replies: rows.map(toReply), conversation: conversation ?? null };
  });

  app.get('/api/webchat/:visitorId/messages', async (request): Promise<Thread> => {
    const { visitorId } = VisitorParams.parse(request.params);
    const { after } = AfterQuery.parse(request.query);
    const bound = await webchat.authorize(visitorId, secretOf(request.headers), 'read');
    return bound ? webchat.thread(visitorId, after) : webchat.emptyThread(after);
  });

  app.post('/api/webchat/:visitorId/stream-ticket', async (request) => {
    const { visitorId } = VisitorParams.parse(request.params);
    return { ticket: await webchat.streamTicket(visitorId, secretOf(request.headers)) };
  });

  // Server-sent events for EventSource, which cannot send headers: the single-use ticket stands in
  // for the secret. `after` (a cursor) or `Last-Event-ID` (sent by EventSource on reconnect) says
  // where the stream starts; without either it starts with the whole thread.
  app.get('/api/webchat/:visitorId/stream', async (request, reply) => {
    const { visitorId } = VisitorParams.parse(request.params);
    const { ticket, after } = StreamQuery.parse(request.query);
    const resume = AfterQuery.parse({ after: request.headers['last-event-id'] ?? undefined }).after ?? after;
    const access = await webchat.useStreamTicket(visitorId, ticket);
    reply.hijack();
    const raw = reply.raw;
    // Headers set so far (CORS for an embedding site) go out with the hijacked response too.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) raw.setHeader(name, typeof value === 'number' ? String(value) : value);
    }
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    // Headers go out with the first bytes: send some now, so the browser knows the stream is open.
    raw.write(': connected\n\n');
    let cursor = resume;
    let busy = Promise.resolve();
    let closed = false;
    const flush = () => {
      busy = busy
        .then(async () => {
          if (closed) return;
          const now = await access();
          if (now === 'end') {
            raw.end();
            return;
          }
          if (now === 'wait') return;
          const thread = await webchat.thread(visitorId, cursor);
          if (closed) return;
          // The last event carries the cursor, so a reconnecting EventSource resumes after it.
          thread.messages.forEach((message, index) => {
            const id = index === thread.messages.length - 1 ? `id: ${thread.cursor}\n` : '';
            raw.write(`${id}data: ${JSON.stringify(message)}\n\n`);
          });
          cursor = ThreadCursor.parse(thread.cursor);
        })
        .catch((error: unknown) => request.log.warn({ err: error }, 'webchat stream flush failed'));
    };
    // The reply may be sent by another instance's outbox sender: listen to every instance's events.
    const offDelivered = ctx.events.on(
      'delivered',
      (event) => {
        if (event.channel === 'webchat' && event.chatExternalId === visitorId) flush();
      },
      { remote: true },
    );
    // Staff typing (live only, nothing stored): in line with the messages, so a "typing" signal
    // never overtakes the reply it announced; only to this visitor's own, still authorized stream.
    const offTyping = ctx.events.on(
      'typing',
      (event) => {
        if (event.channel !== 'webchat' || event.chatExternalId !== visitorId) return;
        busy = busy
          .then(async () => {
            if (closed || (await access()) !== 'read') return;
            raw.write(`event: typing\ndata: ${JSON.stringify(typingSignal(event))}\n\n`);
          })
          .catch((error: unknown) => request.log.warn({ err: error }, 'webchat stream typing failed'));
      },
      { remote: true },
    );
    // The heartbeat also looks for anything new (a missed event costs at most one interval).
    const heartbeat = setInterval(() => {
      raw.write(': ping\n\n');
      flush();
    }, 15_000);
    request.raw.on('close', () => {
      closed = true;
      offDelivered();
      offTyping();
      clearInterval(heartbeat);
    });
    flush();
  });
}
