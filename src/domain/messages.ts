// Neutral message types (ARCHITECTURE.md section 4). Adapters convert to and from these; nothing
// downstream of an adapter knows which platform a message came from.
import { z } from 'zod';
import { ChannelName, ChatKind } from './channels.ts';

// Channel names are part of the message vocabulary; they live in channels.ts.
export { ChannelName, channelNames } from './channels.ts';

export const MAX_TEXT_LENGTH = 4096;

export const Button = z.object({
  label: z.string().min(1).max(64),
  data: z.string().min(1).max(512),
});
export type Button = z.infer<typeof Button>;

/** A file that travels with a message (stored by the app; `id` reads it back). */
export const AttachmentKind = z.enum(['image', 'file', 'voice', 'video']);
export type AttachmentKind = z.infer<typeof AttachmentKind>;

export const Attachment = z.object({
  id: z.string().min(1).max(100),
  kind: AttachmentKind,
  mime: z.string().min(1).max(100),
  size: z.number().int().min(0),
  name: z.string().max(200).optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const Inbound = z.object({
  channel: ChannelName,
  messageId: z.string().min(1).max(200),
  at: z.date(),
  chat: z.object({
    id: z.string().min(1).max(200),
    kind: ChatKind,
    title: z.string().max(200).optional(),
  }),
  sender: z.object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() }),
  text: z.string(),
  mentionsBot: z.boolean(),
  action: z.object({ data: z.string().min(1).max(512) }).optional(),
  /** Non-text content the adapter saw (sticker, image…), kept for the log; flows see only `text`. */
  attachment: z.object({ kind: z.string(), ref: z.string().optional() }).optional(),
  /** Files the app stored for this message (a webchat upload); logged on the interaction by id. */
  attachments: z.array(Attachment).max(10).optional(),
});
export type Inbound = z.infer<typeof Inbound>;

export const Reply = z
  .object({
    /** May be empty only when the reply carries a photo (sent on its own). */
    text: z.string(),
    buttons: z.array(Button).max(12).optional(),
    private: z.boolean().optional(),
    /** A photo staff send (one per reply: one outbox row carries one image, see OutboundMessage.image). */
    attachments: z.array(Attachment).max(1).optional(),
  })
  .refine((reply) => reply.text.length > 0 || Boolean(reply.attachments?.length), {
    message: 'a reply has text or a photo',
  });
export type Reply = z.infer<typeof Reply>;

/** Cuts text an adapter received so that one huge message cannot bloat the database or a reply. */
export function clampText(text: string): string {
  return text.length > MAX_TEXT_LENGTH ? text.slice(0, MAX_TEXT_LENGTH) : text;
}
