// Profile merges at the row level: which rows a customer owns, moving them by id (so an undo moves
// exactly those back), the tables keyed by customer (tags, chat memberships, check-ins) and the Merge
// records themselves. The rules (who survives, which profile fields win) live in src/crm/merges.ts.
import type { ActorKind } from '../../domain/audit.ts';
import { type MergedRowTable, type MergeMoved, type MergeReason, mergedRowTables } from '../../domain/merges.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Merge } from '../types.ts';

/** Ids per statement: well under the bound-parameter limits of SQLite and PostgreSQL. */
const CHUNK = 500;

function chunks(ids: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(ids.slice(i, i + CHUNK));
  return out;
}

type Mover = {
  ids(customerId: number): Promise<Array<{ id: number }>>;
  move(ids: number[], from: number, to: number): Promise<unknown>;
};

export type MovedRows = Pick<MergeMoved, MergedRowTable | 'checkIns' | 'tags' | 'chatMembers' | 'rekeyed'>;

export interface NewMerge {
  sourceId: number;
  targetId: number;
  reason: MergeReason;
  actorType: ActorKind;
  actorId: string | null;
  moved: MergeMoved;
  at: Date;
}

export class MergeRepository {
  constructor(private readonly db: PrismaTx) {}

  private movers(): Record<MergedRowTable, Mover> {
    const db = this.db;
    const select = { id: true } as const;
    const orderBy = { id: 'asc' } as const;
    const where = (ids: number[], from: number) => ({ id: { in: ids }, customerId: from });
    return {
      identities: {
        ids: (customerId) => db.identity.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.identity.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
      interactions: {
        ids: (customerId) => db.interaction.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.interaction.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
      orders: {
        ids: (customerId) => db.order.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.order.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
      cases: {
        ids: (customerId) => db.case.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.case.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
      conversations: {
        ids: (customerId) => db.conversation.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.conversation.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
      surveyResponses: {
        ids: (customerId) => db.surveyResponse.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.surveyResponse.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
      pointsEntries: {
        ids: (customerId) => db.pointsEntry.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.pointsEntry.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
      redemptions: {
        ids: (customerId) => db.redemption.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.redemption.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
      deliveries: {
        ids: (customerId) => db.delivery.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.delivery.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
      notes: {
        ids: (customerId) => db.customerNote.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.customerNote.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
      outbox: {
        ids: (customerId) => db.outboxMessage.findMany({ where: { customerId }, select, orderBy }),
        move: (ids, from, to) => db.outboxMessage.updateMany({ where: where(ids, from), data: { customerId: to } }),
      },
    };
  }

  /**
   * Moves every row `sourceId` owns to `targetId` and returns their ids. Tags and chat memberships
   * the target already has are not duplicated; a check-in day the target already has stays behind.
   * Live conversations get the target's key; one that would clash with a live conversation of the
   * target in the same chat is resolved. Call inside a transaction.
   */
  async moveRows(sourceId: number, targetId: number, at: Date): Promise<MovedRows> {
    const movers = this.movers();
    const moved = {} as Record<MergedRowTable, number[]>;
    for (const table of mergedRowTables) {
      const ids = (await movers[table].ids(sourceId)).map((row) => row.id);
      for (const chunk of chunks(ids)) await movers[table].move(chunk, sourceId, targetId);
      moved[table] = ids;
    }

    const targetTags = new Set(
      (await this.db.customerTag.findMany({ where: { customerId: targetId } })).map((t) => t.tag),
    );
    const sourceTags = await this.db.customerTag.findMany({ where: { customerId: sourceId }, orderBy: { tag: 'asc' } });
    for (const tag of sourceTags) {
      if (!targetTags.has(tag.tag)) {
        await this.db.customerTag.create({
          data: { customerId: targetId, tag: tag.tag, source: tag.source, createdAt: tag.createdAt },
        });
      }
    }
    await this.db.customerTag.deleteMany({ where: { customerId: sourceId } });

    const targetChats = new Set(
      (await this.db.chatMember.findMany({ where: { customerId: targetId } })).map((m) => m.chatId),
    );
    const sourceMembers = await this.db.chatMember.findMany({
      where: { customerId: sourceId },
      orderBy: { chatId: 'asc' },
    });
    for (const member of sourceMembers) {
      if (!targetChats.has(member.chatId)) {
        await this.db.chatMember.create({
          data: { chatId: member.chatId, customerId: targetId, joinedAt: member.joinedAt },
        });
      }
    }
    await this.db.chatMember.deleteMany({ where: { customerId: sourceId } });

    const targetDays = new Set((await this.db.checkIn.findMany({ where: { customerId: targetId } })).map((c) => c.day));
    const days = (await this.db.checkIn.findMany({ where: { customerId: sourceId }, orderBy: { day: 'asc' } }))
      .map((c) => c.day)
      .filter((day) => !targetDays.has(day));
    if (days.length) {
      await this.db.checkIn.updateMany({
        where: { customerId: sourceId, day: { in: days } },
        data: { customerId: targetId },
      });
    }

    const rekeyed: MovedRows['rekeyed'] = [];
    const live = await this.db.conversation.findMany({
      where: { id: { in: moved.conversations }, activeKey: { not: null } },
      orderBy: { id: 'asc' },
    });
    for (const conversation of live) {
      const key = `${targetId}:${conversation.chatId}`;
      const clash = await this.db.conversation.findUnique({ where: { activeKey: key } });
      const status = rows.conversation(conversation).status;
      rekeyed.push({ id: conversation.id, activeKey: conversation.activeKey ?? '', status, resolved: Boolean(clash) });
      await this.db.conversation.update({
        where: { id: conversation.id },
        data: clash ? { activeKey: null, status: 'resolved', resolvedAt: at } : { activeKey: key },
      });
    }

    return {
      ...moved,
      checkIns: days,
      tags: sourceTags.map((t) => ({ tag: t.tag, source: t.source, added: !targetTags.has(t.tag) })),
      chatMembers: sourceMembers.map((m) => ({
        chatId: m.chatId,
        joinedAt: m.joinedAt.toISOString(),
        added: !targetChats.has(m.chatId),
      })),
      rekeyed,
    };
  }

  /**
   * Puts back what `moveRows` moved: the listed rows still on the target return to the source, tags
   * and memberships are restored, live conversations get the source's key again.
   */
  async restoreRows(sourceId: number, targetId: number, moved: MovedRows): Promise<void> {
    const movers = this.movers();
    for (const table of mergedRowTables) {
      for (const chunk of chunks(moved[table])) await movers[table].move(chunk, targetId, sourceId);
    }
    for (const tag of moved.tags) {
      await this.db.customerTag.upsert({
        where: { customerId_tag: { customerId: sourceId, tag: tag.tag } },
        create: { customerId: sourceId, tag: tag.tag, source: tag.source },
        update: {},
      });
      if (tag.added) await this.db.customerTag.deleteMany({ where: { customerId: targetId, tag: tag.tag } });
    }
    for (const member of moved.chatMembers) {
      await this.db.chatMember.upsert({
        where: { chatId_customerId: { chatId: member.chatId, customerId: sourceId } },
        create: { chatId: member.chatId, customerId: sourceId, joinedAt: new Date(member.joinedAt) },
        update: {},
      });
      if (member.added) await this.db.chatMember.deleteMany({ where: { chatId: member.chatId, customerId: targetId } });
    }
    if (moved.checkIns.length) {
      await this.db.checkIn.updateMany({
        where: { customerId: targetId, day: { in: moved.checkIns } },
        data: { customerId: sourceId },
      });
    }
    const rekeyed = new Map(moved.rekeyed.map((r) => [r.id, r]));
    const back = await this.db.conversation.findMany({
      where: { id: { in: moved.conversations }, customerId: sourceId },
      orderBy: { id: 'asc' },
    });
    for (const conversation of back) {
      const before = rekeyed.get(conversation.id);
      const key = `${sourceId}:${conversation.chatId}`;
      const wasLive = conversation.activeKey !== null || before?.resolved === true;
      if (!wasLive || conversation.activeKey === key) continue;
      // A conversation the merge resolved comes back only if it is still as the merge left it.
      if (before?.resolved && conversation.activeKey === null && conversation.status !== 'resolved') continue;
      const taken = await this.db.conversation.findUnique({ where: { activeKey: key } });
      if (taken) continue;
      await this.db.conversation.update({
        where: { id: conversation.id },
        data: before?.resolved ? { activeKey: key, status: before.status, resolvedAt: null } : { activeKey: key },
      });
    }
  }

  /** How many rows of each kind a customer owns (what a merge would move). */
  async owned(customerId: number): Promise<Record<MergedRowTable | 'tags' | 'chatMembers' | 'checkIns', number>> {
    const movers = this.movers();
    const counts = {} as Record<MergedRowTable | 'tags' | 'chatMembers' | 'checkIns', number>;
    for (const table of mergedRowTables) counts[table] = (await movers[table].ids(customerId)).length;
    counts.tags = await this.db.customerTag.count({ where: { customerId } });
    counts.chatMembers = await this.db.chatMember.count({ where: { customerId } });
    counts.checkIns = await this.db.checkIn.count({ where: { customerId } });
    return counts;
  }

  async create(merge: NewMerge): Promise<Merge> {
    const { at, ...data } = merge;
    return rows.merge(await this.db.merge.create({ data: { ...data, createdAt: at } }));
  }

  async get(id: number): Promise<Merge | null> {
    const found = await this.db.merge.findUnique({ where: { id } });
    return found && rows.merge(found);
  }

  async markUndone(id: number, at: Date): Promise<Merge> {
    return rows.merge(await this.db.merge.update({ where: { id }, data: { undoneAt: at } }));
  }

  /** Pairs of live profiles with the same phone, where at least one of them is verified. */
  async samePhone(take: number): Promise<Array<{ a: number; b: number; phone: string }>> {
    const verified = await this.db.customer.findMany({
      where: { mergedIntoId: null, erasedAt: null, phone: { not: null }, phoneVerifiedAt: { not: null } },
      select: { id: true, phone: true },
      orderBy: { id: 'asc' },
      take: take * 4,
    });
    const phones = [...new Set(verified.flatMap((c) => (c.phone ? [c.phone] : [])))];
    if (!phones.length) return [];
    const all = await this.db.customer.findMany({
      where: { mergedIntoId: null, erasedAt: null, phone: { in: phones } },
      select: { id: true, phone: true, phoneVerifiedAt: true },
      orderBy: { id: 'asc' },
    });
    const pairs: Array<{ a: number; b: number; phone: string }> = [];
    for (let i = 0; i < all.length && pairs.length < take; i++) {
      for (let j = i + 1; j < all.length && pairs.length < take; j++) {
        const [x, y] = [all[i], all[j]];
        if (!x || !y || !x.phone || x.phone !== y.phone) continue;
        if (x.phoneVerifiedAt || y.phoneVerifiedAt) pairs.push({ a: x.id, b: y.id, phone: x.phone });
      }
    }
    return pairs;
  }

  /** Pairs of live profiles whose identities carry the same stable key (a WeChat handle, a unionid). */
  async sameStableKey(take: number): Promise<Array<{ a: number; b: number; key: string }>> {
    const keyed = await this.db.identity.findMany({
      where: { alias: { not: null }, customer: { mergedIntoId: null, erasedAt: null } },
      select: { alias: true, customerId: true },
      orderBy: { id: 'asc' },
    });
    const byKey = new Map<string, Set<number>>();
    for (const identity of keyed) {
      if (!identity.alias) continue;
      byKey.set(identity.alias, (byKey.get(identity.alias) ?? new Set()).add(identity.customerId));
    }
    const pairs: Array<{ a: number; b: number; key: string }> = [];
    for (const [key, owners] of byKey) {
      const ids = [...owners].sort((x, y) => x - y);
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          const [a, b] = [ids[i], ids[j]];
          if (a !== undefined && b !== undefined && pairs.length < take) pairs.push({ a, b, key });
        }
      }
    }
    return pairs;
  }
}
