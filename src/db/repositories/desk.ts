// Queries of the staff service desk: the queue, agent load, SLA claims, complaint cases, metrics.
import type { CaseStatus } from '../../domain/cases.ts';
import type { ChannelName } from '../../domain/channels.ts';
import type { ConversationStatus } from '../../domain/conversations.ts';
import type { InteractionKind } from '../../domain/interactions.ts';
import type { Prisma } from '../../generated/sqlite/client.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Case, Conversation, Interaction } from '../types.ts';

/** Interaction kinds that are messages in the thread (not events or internal notes). */
const messageKinds: InteractionKind[] = ['message', 'button', 'bot_reply', 'staff_reply'];

export interface DeskFilter {
  view: 'live' | 'resolved';
  /** An agent's staff id: besides the waiting queue they see only their own conversations. */
  visibleTo?: number;
  status?: Extract<ConversationStatus, 'pending' | 'open'>;
  /** A staff id, or null for unassigned. */
  assigneeId?: number | null;
  channel?: ChannelName;
  tag?: string;
  search?: { text: string; conversationId?: number };
}

/** Conversations staff owe something: waiting in the queue or owned by an agent. */
const withStaff: ConversationStatus[] = ['pending', 'open'];
const unresolvedCase: CaseStatus[] = ['open', 'in_progress'];

export class DeskRepository {
  constructor(private readonly db: PrismaTx) {}

  /** Open conversations per assignee, for least-loaded assignment. */
  async openLoad(): Promise<Map<number, number>> {
    const rows = await this.db.conversation.groupBy({
      by: ['assigneeId'],
      where: { status: 'open', assigneeId: { not: null } },
      _count: { _all: true },
    });
    const load = new Map<number, number>();
    for (const row of rows) if (row.assigneeId !== null) load.set(row.assigneeId, row._count._all);
    return load;
  }

  countPending(): Promise<number> {
    return this.db.conversation.count({ where: { status: 'pending' } });
  }

  /** The oldest waiting conversations first within the highest priority. */
  async pendingQueue(take: number): Promise<Conversation[]> {
    const found = await this.db.conversation.findMany({
      where: { status: 'pending' },
      orderBy: [{ priority: 'desc' }, { escalatedAt: 'asc' }, { id: 'asc' }],
      take,
    });
    return found.map(rows.conversation);
  }

  /** Conversations staff still owe something, whose SLA has not been marked breached yet. */
  async slaCandidates(take = 500): Promise<Conversation[]> {
    const found = await this.db.conversation.findMany({
      where: {
        status: { in: withStaff },
        slaBreachedAt: null,
        OR: [{ firstResponseDueAt: { not: null } }, { resolutionDueAt: { not: null } }],
      },
      orderBy: { id: 'asc' },
      take,
    });
    return found.map(rows.conversation);
  }

  /** Sets an SLA mark only if nobody set it first: the row is the claim (several instances). */
  async claimSlaMark(id: number, field: 'slaWarnedAt' | 'slaBreachedAt', at: Date): Promise<boolean> {
    const result = await this.db.conversation.updateMany({
      where: { id, [field]: null, status: { in: withStaff } },
      data: { [field]: at },
    });
    return result.count === 1;
  }

  /** Records the first staff reply once; the warning mark is reset so the resolution clock can warn too. */
  async markFirstResponse(id: number, at: Date): Promise<boolean> {
    const result = await this.db.conversation.updateMany({
      where: { id, firstResponseAt: null },
      data: { firstResponseAt: at, slaWarnedAt: null },
    });
    return result.count === 1;
  }

  async setSla(
    id: number,
    data: { firstResponseDueAt: Date | null; resolutionDueAt: Date | null },
  ): Promise<Conversation> {
    const updated = await this.db.conversation.update({
      where: { id },
      data: { ...data, slaWarnedAt: null, slaBreachedAt: null, firstResponseAt: null },
    });
    return rows.conversation(updated);
  }

  /** Marks the conversation's complaint case resolved (if it has one still open). */
  async resolveComplaint(conversationId: number, at: Date): Promise<number> {
    const result = await this.db.case.updateMany({
      where: { conversationId, type: 'complaint', status: { in: unresolvedCase } },
      data: { status: 'resolved', resolvedAt: at },
    });
    return result.count;
  }

  async casesForConversation(conversationId: number): Promise<Case[]> {
    return (await this.db.case.findMany({ where: { conversationId }, orderBy: { id: 'asc' } })).map(rows.case);
  }

  /** Conversations created in [from, to), for service metrics. */
  async conversationsCreated(from: Date, to: Date): Promise<Conversation[]> {
    const found = await this.db.conversation.findMany({
      where: { createdAt: { gte: from, lt: to } },
      orderBy: { id: 'asc' },
    });
    return found.map(rows.conversation);
  }

  /** Conversations escalated in [from, to), for service metrics. */
  async conversationsEscalated(from: Date, to: Date): Promise<Conversation[]> {
    const found = await this.db.conversation.findMany({
      where: { escalatedAt: { gte: from, lt: to } },
      orderBy: { id: 'asc' },
    });
    return found.map(rows.conversation);
  }

  async complaintsCreated(from: Date, to: Date): Promise<Case[]> {
    return (await this.db.case.findMany({ where: { type: 'complaint', createdAt: { gte: from, lt: to } } })).map(
      rows.case,
    );
  }

  backlog(): Promise<number> {
    return this.db.conversation.count({ where: { status: { in: withStaff } } });
  }

  async conversationWithPeople(id: number) {
    const found = await this.db.conversation.findUnique({
      where: { id },
      include: { customer: true, chat: true, assignee: true },
    });
    return found && withPeople(found);
  }

  /**
   * The desk's list: the live queue (pending for everyone; open ones all for admins, own for agents)
   * or the resolved history (newest first), narrowed by the console's filters.
   */
  async deskConversations(filter: DeskFilter) {
    const own = filter.visibleTo === undefined ? {} : { assigneeId: filter.visibleTo };
    const scope: Prisma.ConversationWhereInput =
      filter.view === 'resolved'
        ? { status: 'resolved', ...own }
        : { OR: [{ status: 'pending' }, { status: 'open', ...own }] };
    const search = filter.search;
    const and: Prisma.ConversationWhereInput[] = [
      scope,
      ...(filter.status ? [{ status: filter.status }] : []),
      ...(filter.assigneeId !== undefined ? [{ assigneeId: filter.assigneeId }] : []),
      ...(filter.channel ? [{ chat: { channel: filter.channel } }] : []),
      ...(filter.tag ? [{ customer: { tags: { some: { tag: filter.tag } } } }] : []),
      ...(search
        ? [
            {
              OR: [
                ...(search.conversationId ? [{ id: search.conversationId }] : []),
                { customer: { name: { contains: search.text } } },
                { customer: { phone: { contains: search.text } } },
              ],
            },
          ]
        : []),
    ];
    const found = await this.db.conversation.findMany({
      where: { AND: and },
      include: { customer: true, chat: true, assignee: true },
      orderBy:
        filter.view === 'resolved'
          ? [{ resolvedAt: 'desc' }, { id: 'desc' }]
          : [{ priority: 'desc' }, { escalatedAt: 'asc' }, { id: 'asc' }],
      take: filter.view === 'resolved' ? 100 : 200,
    });
    return found.map(withPeople);
  }

  /** The latest message (not event or note) of each conversation, and how many customer messages followed the last staff reply. */
  async summaries(conversationIds: number[]): Promise<Map<number, { last: Interaction | null; unread: number }>> {
    const result = new Map<number, { last: Interaction | null; unread: number }>();
    if (conversationIds.length === 0) return result;
    const where = { conversationId: { in: conversationIds } };
    const [latest, lastStaff] = await Promise.all([
      this.db.interaction.groupBy({
        by: ['conversationId'],
        where: { ...where, kind: { in: messageKinds } },
        _max: { id: true },
      }),
      this.db.interaction.groupBy({
        by: ['conversationId'],
        where: { ...where, kind: 'staff_reply' },
        _max: { id: true },
      }),
    ]);
    const staffAfter = new Map(lastStaff.map((row) => [row.conversationId, row._max.id ?? 0]));
    const [lastRows, unread] = await Promise.all([
      this.db.interaction.findMany({
        where: { id: { in: latest.flatMap((row) => (row._max.id ? [row._max.id] : [])) } },
      }),
      this.db.interaction.groupBy({
        by: ['conversationId'],
        where: {
          OR: conversationIds.map((id) => ({
            conversationId: id,
            direction: 'in',
            id: { gt: staffAfter.get(id) ?? 0 },
          })),
        },
        _count: { _all: true },
      }),
    ]);
    const lastBy = new Map(lastRows.map((row) => [row.conversationId, rows.interaction(row)]));
    const unreadBy = new Map(unread.map((row) => [row.conversationId, row._count._all]));
    for (const id of conversationIds) result.set(id, { last: lastBy.get(id) ?? null, unread: unreadBy.get(id) ?? 0 });
    return result;
  }

  cannedReply(shortcut: string) {
    return this.db.cannedReply.findUnique({ where: { shortcut } });
  }

  /** The staff-group message/topic that stands for a conversation (Telegram staff relay). */
  async linkRelayMessage(chatExternalId: string, messageId: string, conversationId: number, at: Date): Promise<void> {
    await this.db.staffRelayMessage.upsert({
      where: { chatExternalId_messageId: { chatExternalId, messageId } },
      create: { chatExternalId, messageId, conversationId, createdAt: at },
      update: {},
    });
  }

  async relayConversation(chatExternalId: string, messageId: string): Promise<number | null> {
    const row = await this.db.staffRelayMessage.findUnique({
      where: { chatExternalId_messageId: { chatExternalId, messageId } },
    });
    return row?.conversationId ?? null;
  }

  async interaction(id: number) {
    const found = await this.db.interaction.findUnique({ where: { id } });
    return found && rows.interaction(found);
  }

  async setStaffThread(id: number, staffThreadId: string | null): Promise<Conversation> {
    return rows.conversation(await this.db.conversation.update({ where: { id }, data: { staffThreadId } }));
  }
}

type ConversationWithPeople = Prisma.ConversationGetPayload<{
  include: { customer: true; chat: true; assignee: true };
}>;

function withPeople({ customer, chat, assignee, ...conversation }: ConversationWithPeople) {
  return {
    ...rows.conversation(conversation),
    customer: rows.customer(customer),
    chat: rows.chat(chat),
    assignee: assignee && rows.staff(assignee),
  };
}
