// The webchat channel: used by the browser widget, the CLI chat and the end-to-end tests.
// Delivery is the outbox itself: a sent row is what visitors read (poll or SSE), so `send` has
// nothing to push; a staff photo is in the row too and the visitor reads it with their secret.
import { randomUUID } from 'node:crypto';
import type { Attachment } from '../../src/domain/messages.ts';
import type { Channel, HandleResult, InboundHandler, OutboundMessage, SendResult } from '../contract.ts';

/** One visitor message, as the HTTP API (which validates it) or the CLI chat hands it over. */
export interface VisitorMessage {
  visitorId: string;
  text?: string | undefined;
  /** The pressed button's data. */
  action?: string | undefined;
  /** The client's id for the message; a retry with the same id has no second effect. */
  messageId?: string | undefined;
  name?: string | undefined;
  /** Files uploaded beforehand (the upload route), already checked to be this visitor's. */
  attachments?: Attachment[] | undefined;
}

export class WebchatChannel implements Channel {
  readonly name = 'webchat' as const;
  readonly pacing = {};
  readonly sendsImages = true;
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
  async receive(body: VisitorMessage, at: Date): Promise<{ messageId: string; result: HandleResult }> {
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
      ...(body.attachments?.length ? { attachments: body.attachments } : {}),
    });
    return { messageId, result };
  }
}
