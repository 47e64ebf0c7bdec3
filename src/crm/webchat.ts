// What a webchat visitor reads. Webchat delivery is the outbox itself: a sent row addressed to the
// visitor's chat is a message they can read (as the answer to their POST, by polling, or streamed).
import type { OutboxMessage } from '../db/types.ts';
import type { ServiceDeps } from './context.ts';

export interface ConversationSummary {
  id: number;
  status: string;
  flow: string | null;
}

export class WebchatService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The replies produced for one visitor message (also for a replay of it). */
  async repliesTo(visitorId: string, messageId: string): Promise<OutboxMessage[]> {
    const rows = await this.deps.store.repos.outbox.bySource(`webchat:${messageId}`);
    return rows.filter((row) => row.chatExternalId === visitorId);
  }

  /** The conversation an already processed visitor message belongs to (a replay reports it too). */
  async conversationOf(messageId: string): Promise<ConversationSummary | undefined> {
    const { repos } = this.deps.store;
    const processed = await repos.processed.get('webchat', messageId);
    const row = processed?.conversationId ? await repos.conversations.get(processed.conversationId) : null;
    return row ? { id: row.id, status: row.status, flow: row.flow } : undefined;
  }

  /** Messages delivered to the visitor after the cursor (an outbox id), oldest first. */
  messages(visitorId: string, after: number, take = 100): Promise<OutboxMessage[]> {
    return this.deps.store.repos.outbox.forChat('webchat', visitorId, after, take);
  }
}
