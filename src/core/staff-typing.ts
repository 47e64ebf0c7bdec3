// Staff typing on channels with a "typing…" status of their own (Telegram's sendChatAction): while
// the staff member holding a conversation types in the console, the customer's chat shows it. The
// web chat has its own signal on its stream (src/http/routes/webchat.ts); WeChat and WeCom have no
// such API. Only this instance's events (the one that took the console's request), and at most
// once per TYPING_SPACING_MS per chat across all instances (a claim in the database): Telegram
// shows the status for about five seconds, the console repeats its signal every three.
import type { RateLimits } from '../crm/rate-limits.ts';
import type { ChannelName } from '../domain/channels.ts';
import type { EventBus } from '../kernel/events.ts';
import type { Logger } from '../kernel/logger.ts';
import type { Channel } from './channel.ts';

export const TYPING_SPACING_MS = 4000;

export function showStaffTypingInChats(deps: {
  events: EventBus;
  channel: (name: ChannelName) => Channel | undefined;
  rateLimits: RateLimits;
  log: Logger;
}): () => void {
  return deps.events.on('typing', (event) => {
    const channel = deps.channel(event.channel);
    if (!event.typing || !channel?.showTyping) return;
    const show = channel.showTyping.bind(channel);
    void deps.rateLimits
      .claimSpaced(`typing:${event.channel}:${event.chatExternalId}`, TYPING_SPACING_MS)
      .then((claimed) => (claimed ? show(event.chatExternalId) : undefined))
      .catch((error: unknown) => deps.log.warn({ err: error }, 'staff typing: could not show it in the chat'));
  });
}
