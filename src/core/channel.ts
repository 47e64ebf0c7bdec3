// The Channel port: the narrow boundary between a chat platform and Guanxi (adapters/contract.ts re-exports it).
// An adapter turns platform updates into `Inbound` and hands them to `InboundHandler`; the outbox
// sender calls `send` for each queued reply. Platform quirks (keyboards, numbered options,
// mentions, rate limits) stay behind this interface.
import type { Attachment, Button, ChannelName, Inbound } from '../domain/messages.ts';

export interface OutboundMessage {
  /** The platform's chat id (private chat or group). */
  chatId: string;
  /** With `image`: its caption (may be empty); a platform without captions sends it as a following text. */
  text: string;
  /**
   * A photo to send natively (staff replies); the adapter reads its bytes with the port's
   * `files.read(image.id)`. Only handed to channels whose `sendsImages` is true.
   */
  image?: Attachment;
  buttons?: Button[];
  /** In groups: the customer to address (WeChat @name, Telegram reply). */
  mentionUserId?: string;
  /** The outbox row id; adapters may use it to make a send idempotent on their side. */
  outboxId: number;
  /** `<channel>:<messageId>` of the inbound message this answers, so an adapter can reply in place (edit a menu, reply in a thread). */
  sourceKey?: string;
}

/** The file name a platform is given for a photo: the uploaded name, else its id with the type's extension. */
export function photoFileName(image: Attachment): string {
  const extension = image.mime === 'image/jpeg' ? 'jpg' : (image.mime.split('/')[1] ?? 'jpg');
  return image.name ?? `${image.id}.${extension}`;
}

export interface SendResult {
  externalId?: string;
}

/** Thrown by `send`. `retryable` sends are re-queued; ambiguous ones are never retried (marked unknown). */
export class SendError extends Error {
  constructor(
    message: string,
    readonly kind: 'retryable' | 'permanent' | 'ambiguous',
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

/** How fast the outbox may send on this channel. All limits are optional. */
export interface PacingPolicy {
  /** Messages per second across all chats. */
  globalPerSecond?: number;
  /** Messages per minute across all chats. */
  globalPerMinute?: number;
  /** Minimum gap between two messages to the same private chat, in ms. */
  privateChatIntervalMs?: number;
  /** Minimum gap between two messages to the same group, in ms. */
  groupIntervalMs?: number;
  /** Random extra delay before each send, in ms [min, max]. */
  jitterMs?: [number, number];
  /** Messages per calendar day (shop timezone). */
  dailyCap?: number;
}

/** What the pipeline returns for one inbound message. */
export interface HandleResult {
  status: 'processed' | 'duplicate' | 'ignored';
  conversation?: { id: number; status: string; flow: string | null };
  outboxIds: number[];
}

export type InboundHandler = (inbound: Inbound) => Promise<HandleResult>;

export interface Channel {
  readonly name: ChannelName;
  readonly pacing: PacingPolicy;
  /**
   * True when `send` delivers `OutboundMessage.image`. A channel without it never gets a photo: the
   * outbox marks such a row failed ("this channel cannot send photos"), which the console shows on
   * the message, and nothing is sent (not even the caption alone).
   */
  readonly sendsImages?: boolean;
  /** Begin receiving updates; each becomes one call of `handler`. */
  start(handler: InboundHandler): Promise<void>;
  send(message: OutboundMessage): Promise<SendResult>;
  stop(): Promise<void>;
  /** A link that opens a private chat with the bot carrying `payload` (Telegram deep link), if the platform has one. */
  privateChatLink?(payload: string): string | undefined;
  /**
   * Shows the platform's own "typing…" status in a chat for a few seconds (Telegram's
   * sendChatAction), if it has one: the staff member answering is typing. Best effort: never throws.
   */
  showTyping?(chatId: string): Promise<void>;
}
