// The webchat channel: used by the browser widget, the CLI chat and the end-to-end tests.
// Delivery is the outbox itself: a sent row is what visitors read (poll or SSE), so `send` has
// nothing to push.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Channel, HandleResult, InboundHandler, OutboundMessage, SendResult } from '../contract.ts';

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

export class WebchatChannel implements Channel {
  readonly name = 'webchat' as const;
  readonly pacing = {};
  private handler: InboundHandler | null = null;

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.handler = null;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    return { externalId: String(message.outboxId) };
  }

  /** One visitor message from HTTP or the CLI. */
  async receive(body: WebchatMessageBody, at: Date): Promise<{ messageId: string; result: HandleResult }> {
    if (!this.handler) throw new Error('webchat channel is not started');
    const messageId = body.messageId ?? randomUUID();
    const result = await this.handler({
      channel: 'webchat',
      messageId,
      at,
      chat: { id: body.visitorId, kind: 'private' },
      sender: { id: body.visitorId, ...(body.name ? { name: body.name } : {}) },
      text: body.text ?? '',
      mentionsBot: true,
      ...(body.action ? { action: { data: body.action } } : {}),
    });
    return { messageId, result };
  }
}
