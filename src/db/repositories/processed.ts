import type { PrismaTx } from '../client.ts';
import { insertedOnce } from './errors.ts';

/** Inbound message ids already handled: the dedupe step of the pipeline. */
export class ProcessedMessageRepository {
  constructor(private readonly db: PrismaTx) {}

  /** Records the id; false if it was already there (a replay). */
  async claim(channel: string, messageId: string, at: Date): Promise<boolean> {
    return insertedOnce(() => this.db.processedMessage.create({ data: { channel, messageId, createdAt: at } }));
  }

  async setConversation(channel: string, messageId: string, conversationId: number): Promise<void> {
    await this.db.processedMessage.update({
      where: { channel_messageId: { channel, messageId } },
      data: { conversationId },
    });
  }

  get(channel: string, messageId: string) {
    return this.db.processedMessage.findUnique({ where: { channel_messageId: { channel, messageId } } });
  }

  /** Forgets ids older than `before`; replays of such old updates are no longer expected. */
  async prune(before: Date): Promise<number> {
    const { count } = await this.db.processedMessage.deleteMany({ where: { createdAt: { lt: before } } });
    return count;
  }
}
