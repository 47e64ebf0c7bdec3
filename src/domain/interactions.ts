// Interaction vocabulary: the profile's append-only log of messages and events.
import { z } from 'zod';
import { ChannelName } from './channels.ts';

export const InteractionDirection = z.enum(['in', 'out', 'event']);
export type InteractionDirection = z.infer<typeof InteractionDirection>;

/** What was logged: a customer message or button press, a reply (bot, staff, or proactive by purpose), a note, an event. */
export const InteractionKind = z.enum([
  'message',
  'button',
  'bot_reply',
  'staff_reply',
  'note',
  'event',
  'notification',
  'campaign',
  'survey',
  'system',
]);
export type InteractionKind = z.infer<typeof InteractionKind>;

/** Where an interaction happened: a channel, or inside Guanxi (system events, staff notes). */
export const InteractionChannel = z.enum([...ChannelName.options, 'system', 'staff']);
export type InteractionChannel = z.infer<typeof InteractionChannel>;
