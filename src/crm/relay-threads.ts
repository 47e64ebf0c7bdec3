// Where an escalated conversation lives in an outside staff console (a Telegram forum topic, or the
// header message staff reply to), and which of that console's messages belong to which conversation,
// so a staff reply finds its customer.
import type { ServiceDeps } from './context.ts';

export class RelayThreadService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The conversation's thread (`topic:<id>` or `msg:<id>`), or null before its first relay. */
  async threadOf(conversationId: number): Promise<string | null> {
    return (await this.deps.store.repos.conversations.get(conversationId))?.staffThreadId ?? null;
  }

  async setThread(conversationId: number, thread: string): Promise<void> {
    await this.deps.store.repos.desk.setStaffThread(conversationId, thread);
  }

  /** The first relayed message becomes the thread of a conversation that has none yet. */
  async setThreadIfUnset(conversationId: number, thread: string): Promise<void> {
    const conversation = await this.deps.store.repos.conversations.get(conversationId);
    if (conversation && !conversation.staffThreadId) await this.setThread(conversationId, thread);
  }

  /** Remembers that a message (or topic) of the console chat belongs to the conversation. */
  link(chatId: string, messageKey: string, conversationId: number): Promise<void> {
    return this.deps.store.repos.desk.linkRelayMessage(chatId, messageKey, conversationId, this.deps.clock.now());
  }

  /** The conversation a console message (or topic) belongs to, or null. */
  conversationOf(chatId: string, messageKey: string): Promise<number | null> {
    return this.deps.store.repos.desk.relayConversation(chatId, messageKey);
  }
}
