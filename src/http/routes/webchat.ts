// The webchat API (ARCHITECTURE.md section 7): send a message, read later messages, or stream them.
import { z } from 'zod';
import type { OutboxMessage } from '../../crm/records.ts';
import { Button } from '../../domain/messages.ts';
import type { HttpApp, HttpContext } from '../context.ts';

export const WebchatMessageBody = z
  .object({
    visitorId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.:-]+$/, 'visitorId uses A-Z, a-z, 0-9, _ . : -'),
    text: z.string().max(4096, 'text is limited to 4096 characters').optional(),
    action: z.string().trim().min(1).max(512).optional(),
    messageId: z.string().trim().min(1).max(100).optional(),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .refine((b) => (b.text !== undefined && b.text.trim() !== '') || b.action !== undefined, {
    message: 'send text or an action',
  });
export type WebchatMessageBody = z.infer<typeof WebchatMessageBody>;

const VisitorParams = z.object({ visitorId: WebchatMessageBody.shape.visitorId });
const AfterQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });

function toReply(row: OutboxMessage) {
  const buttons = Button.array().safeParse(row.buttons);
  return { text: row.text, ...(buttons.success && buttons.data.length ? { buttons: buttons.data } : {}) };
}

function toMessage(row: OutboxMessage) {
  return {
    id: row.id,
    ...toReply(row),
    from: row.purpose === 'staff' ? 'staff' : 'bot',
    at: row.createdAt.toISOString(),
  };
}

export function webchatRoutes(app: HttpApp, ctx: HttpContext): void {
  app.post('/api/webchat/messages', async (request) => {
    const body = WebchatMessageBody.parse(request.body);
    const { messageId, result } = await ctx.webchat.receive(body, ctx.clock.now());
    await ctx.sender.drainChannel('webchat');
    const rows = await ctx.services.webchat.repliesTo(body.visitorId, messageId);
    const conversation = result.conversation ?? (await ctx.services.webchat.conversationOf(messageId));
    return { replies: rows.map(toReply), conversation: conversation ?? null };
  });

  app.get('/api/webchat/:visitorId/messages', async (request) => {
    const { visitorId } = VisitorParams.parse(request.params);
    const { after } = AfterQuery.parse(request.query);
    const rows = await ctx.services.webchat.messages(visitorId, after);
    return { messages: rows.map(toMessage), cursor: rows.at(-1)?.id ?? after };
  });

  app.get('/api/webchat/:visitorId/events', async (request, reply) => {
    const { visitorId } = VisitorParams.parse(request.params);
    const { after } = AfterQuery.parse(request.query);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let cursor = after;
    let busy = Promise.resolve();
    const flush = () => {
      busy = busy.then(async () => {
        const rows = await ctx.services.webchat.messages(visitorId, cursor);
        for (const row of rows) {
          raw.write(`id: ${row.id}\ndata: ${JSON.stringify(toMessage(row))}\n\n`);
          cursor = row.id;
        }
      });
    };
    // The reply may be sent by another instance's outbox sender: listen to every instance's events.
    const off = ctx.events.on(
      'delivered',
      (event) => {
        if (event.channel === 'webchat' && event.chatExternalId === visitorId) flush();
      },
      { remote: true },
    );
    const heartbeat = setInterval(() => raw.write(': ping\n\n'), 15_000);
    request.raw.on('close', () => {
      off();
      clearInterval(heartbeat);
    });
    flush();
  });
}
