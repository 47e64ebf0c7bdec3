// Prisma.DbNull is the same runtime sentinel in both generated clients.

import type { ConversationStatus } from '../../domain/conversations.ts';
import { Prisma } from '../../generated/sqlite/client.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Conversation, JsonValue } from '../types.ts';
import { isUniqueViolation } from './errors.ts';

export interface ConversationPatch {
  status?: ConversationStatus;
  flow?: string | null;
  flowState?: JsonValue | null;
  locale?: string | null;
  failedTurns?: number;
  priority?: number;
  assigneeId?: number | null;
  escalatedAt?: Date | null;
  escalationReason?: string | null;
  takenAt?: Date | null;
  firstResponseAt?: Date | null;
  resolvedAt?: Date | null;
  firstResponseDueAt?: Date | null;
  resolutionDueAt?: Date | null;
  slaWarnedAt?: Date | null;
  slaBreachedAt?: Date | null;
  staffThreadId?: string | null;
  lastInboundAt?: Date | null;
}

const activeKey = (customerId: number, chatId: number) => `${customerId}:${chatId}`;

export class ConversationRepository {
  constructor(private readonly db: PrismaTx) {}

  async get(id: number): Promise<Conversation | null> {
    const found = await this.db.conversation.findUnique({ where: { id } });
    return found && rows.conversation(found);
  }

  async findLive(customerId: number, chatId: number): Promise<Conversation | null> {
    const found = await this.db.conversation.findUnique({ where: { activeKey: activeKey(customerId, chatId) } });
    return found && rows.conversation(found);
  }

  /** The live conversation for customer+chat, opened if there is none (race-safe via the unique key). */
  async openOrGet(
    customerId: number,
    chatId: number,
    at: Date,
  ): Promise<{ conversation: Conversation; opened: boolean }> {
    const live = await this.findLive(customerId, chatId);
    if (live) return { conversation: live, opened: false };
    try {
      const conversation = await this.db.conversation.create({
        data: { customerId, chatId, activeKey: activeKey(customerId, chatId), status: 'bot', createdAt: at },
      });
      return { conversation: rows.conversation(conversation), opened: true };
    } catch (error) {
      const raced = isUniqueViolation(error) ? await this.findLive(customerId, chatId) : null;
      if (!raced) throw error;
      return { conversation: raced, opened: false };
    }
  }

  async update(id: number, patch: ConversationPatch): Promise<Conversation> {
    const { flowState, ...rest } = patch;
    const updated = await this.db.conversation.update({
      where: { id },
      data: {
        ...rest,
        ...(flowState === undefined ? {} : { flowState: flowState === null ? Prisma.DbNull : flowState }),
      },
    });
    return rows.conversation(updated);
  }

  /** Applies `patch` only if the conversation is still in one of `from`; returns null when it was not. */
  async transition(id: number, from: ConversationStatus[], patch: ConversationPatch): Promise<Conversation | null> {
    const { flowState: _ignored, ...rest } = patch;
    const data = patch.status === 'resolved' ? { ...rest, activeKey: null } : rest;
    const result = await this.db.conversation.updateMany({ where: { id, status: { in: from } }, data });
    return result.count === 1 ? this.get(id) : null;
  }

  /** resolved → live again: the conversation takes back its (customer, chat) slot; null if it was not resolved. */
  async reopen(id: number, patch: ConversationPatch): Promise<Conversation | null> {
    const row = await this.get(id);
    if (row?.status !== 'resolved') return null;
    const { flowState: _ignored, ...rest } = patch;
    const result = await this.db.conversation.updateMany({
      where: { id, status: 'resolved' },
      data: { ...rest, activeKey: activeKey(row.customerId, row.chatId) },
    });
    return result.count === 1 ? this.get(id) : null;
  }

  async forCustomer(customerId: number, take = 20) {
    const found = await this.db.conversation.findMany({
      where: { customerId },
      orderBy: { id: 'desc' },
      take,
      include: { chat: true },
    });
    return found.map(({ chat, ...conversation }) => ({ ...rows.conversation(conversation), chat: rows.chat(chat) }));
  }

  /**
   * Whether an agent reaches this customer through one of their conversations: one waiting in the
   * queue, or one assigned to them (the desk's own visibility rule).
   */
  async reachableBy(customerId: number, staffId: number): Promise<boolean> {
    const found = await this.db.conversation.findFirst({
      where: { customerId, OR: [{ status: 'pending' }, { assigneeId: staffId }] },
      select: { id: true },
    });
    return found !== null;
  }

  countOpenForAssignee(assigneeId: number): Promise<number> {
    return this.db.conversation.count({ where: { assigneeId, status: 'open' } });
  }
}
