// Webchat visitors' credentials: the bound secret of each visitorId and the single-use stream tickets.
// Only hashes are stored; comparing them is the service's job.
import type { ChannelName } from '../../domain/channels.ts';
import type { InteractionKind } from '../../domain/interactions.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Interaction } from '../types.ts';
import { isUniqueViolation } from './errors.ts';

export class WebchatRepository {
  constructor(private readonly db: PrismaTx) {}

  async secretHash(visitorId: string): Promise<string | undefined> {
    return (await this.db.webchatVisitor.findUnique({ where: { visitorId } }))?.secretHash;
  }

  /** Binds a secret to an unbound visitorId; false when the visitor is already bound (maybe by a racing request). */
  async bind(visitorId: string, secretHash: string, at: Date): Promise<boolean> {
    try {
      await this.db.webchatVisitor.create({ data: { visitorId, secretHash, createdAt: at } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async addTicket(ticket: { ticketHash: string; visitorId: string; secretHash: string; expiresAt: Date }, at: Date) {
    // Expired tickets are dropped as new ones are issued, so the table stays small.
    await this.db.webchatStreamTicket.deleteMany({ where: { expiresAt: { lt: at } } });
    await this.db.webchatStreamTicket.create({ data: { ...ticket, createdAt: at } });
  }

  /**
   * Uses up a ticket: the secret hash it was issued for, once for a live ticket of this visitor;
   * undefined ever after (on any instance: the delete decides).
   */
  async useTicket(ticketHash: string, visitorId: string, now: Date): Promise<string | undefined> {
    const row = await this.db.webchatStreamTicket.findUnique({ where: { ticketHash } });
    if (!row?.secretHash) return undefined;
    const { count } = await this.db.webchatStreamTicket.deleteMany({
      where: { ticketHash, visitorId, expiresAt: { gt: now } },
    });
    return count === 1 ? row.secretHash : undefined;
  }

  /** What the visitor wrote in one chat (messages and button presses), oldest first, after an interaction id. */
  async inbound(channel: ChannelName, chatId: number, afterId: number, take: number): Promise<Interaction[]> {
    const kinds: InteractionKind[] = ['message', 'button'];
    const found = await this.db.interaction.findMany({
      where: { chatId, channel, direction: 'in', kind: { in: kinds }, id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take,
    });
    return found.map(rows.interaction);
  }
}
