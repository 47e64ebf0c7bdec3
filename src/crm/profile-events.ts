// The one way services log a profile event (an event interaction whose payload is a typed ProfileEvent),
// in the repositories the service passes in.
import type { Repositories } from '../db/store.ts';
import type { Interaction } from '../db/types.ts';
import type { InteractionChannel } from '../domain/interactions.ts';
import type { ProfileEvent } from '../domain/profile-events.ts';

export interface ProfileEventEntry {
  customerId: number;
  event: ProfileEvent;
  /** A one-line summary for the timeline. */
  text: string;
  conversationId?: number | null;
  chatId?: number | null;
  /** Where it happened; events inside Guanxi are `system`. */
  channel?: InteractionChannel;
  staffId?: number | null;
}

export function recordEvent(repos: Repositories, at: Date, entry: ProfileEventEntry): Promise<Interaction> {
  const { event, channel, ...rest } = entry;
  return repos.interactions.append({
    ...rest,
    channel: channel ?? 'system',
    direction: 'event',
    kind: 'event',
    payload: event,
    at,
  });
}
