// The one way two profiles become one: an admin's merge, a customer's binding code and a signed shop
// identity all come here. A merge moves every row the source owns to the target in one transaction,
// records the moved row ids on a Merge row and in the audit entry, and recomputes the target's
// balance and order totals from their sources of truth; the source stays as a tombstone pointing at
// the target. An undo moves exactly those rows back.
import type { Customer, Merge } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import { actorFields } from '../domain/audit.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.ts';
import type { MergedProfileFields, MergeReason, MergeSuggestionReason } from '../domain/merges.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { recordEvent } from './profile-events.ts';

export interface MergeResult {
  merge: Merge;
  customer: Customer;
}

export interface MergeSuggestion {
  reason: MergeSuggestionReason;
  /** What the two profiles share (a masked phone, a stable key). */
  shared: string;
  customers: [Customer, Customer];
}

function profileFields(customer: Customer): MergedProfileFields {
  return {
    name: customer.name,
    phone: customer.phone,
    phoneVerifiedAt: customer.phoneVerifiedAt?.toISOString() ?? null,
    email: customer.email,
    birthday: customer.birthday,
    marketingOptIn: customer.marketingOptIn,
    marketingOptOutAt: customer.marketingOptOutAt?.toISOString() ?? null,
    attributes: jsonObject(customer.attributes),
  };
}

/** The target's fields after a merge: its own values win, gaps are filled from the source. */
function mergedFields(target: Customer, source: Customer): MergedProfileFields {
  const t = profileFields(target);
  const s = profileFields(source);
  const phoneFromSource = t.phone === null && s.phone !== null;
  // Consent is never created by a merge: both profiles must have it (an opt-out anywhere wins).
  const optIn = t.marketingOptIn && s.marketingOptIn;
  return {
    name: t.name ?? s.name,
    phone: t.phone ?? s.phone,
    phoneVerifiedAt: phoneFromSource ? s.phoneVerifiedAt : t.phoneVerifiedAt,
    email: t.email ?? s.email,
    birthday: t.birthday ?? s.birthday,
    marketingOptIn: optIn,
    marketingOptOutAt: optIn ? null : (t.marketingOptOutAt ?? s.marketingOptOutAt),
    attributes: t.attributes || s.attributes ? { ...(s.attributes ?? {}), ...(t.attributes ?? {}) } : null,
  };
}

function asPatch(fields: Partial<MergedProfileFields>) {
  const { phoneVerifiedAt, marketingOptOutAt, attributes, ...rest } = fields;
  return {
    ...rest,
    ...(phoneVerifiedAt !== undefined ? { phoneVerifiedAt: phoneVerifiedAt ? new Date(phoneVerifiedAt) : null } : {}),
    ...(marketingOptOutAt !== undefined
      ? { marketingOptOutAt: marketingOptOutAt ? new Date(marketingOptOutAt) : null }
      : {}),
    ...(attributes ? { attributes } : {}),
  };
}

function jsonObject(value: unknown): MergedProfileFields['attributes'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return JSON.parse(JSON.stringify(value));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class MergeService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Merges `sourceId` into `targetId`. Joins the caller's transaction when there is one (the binding
   * flow and the signed identity merge as part of their own work).
   */
  async merge(input: { sourceId: number; targetId: number; reason: MergeReason; actor: Actor }): Promise<MergeResult> {
    const { sourceId, targetId, reason, actor } = input;
    if (sourceId === targetId) throw new InvalidInputError('cannot merge a customer into itself');
    return this.deps.store.transaction(async (repos) => {
      const now = this.deps.clock.now();
      const [source, target] = await Promise.all([repos.customers.get(sourceId), repos.customers.get(targetId)]);
      if (!source) throw new NotFoundError(`customer ${sourceId}`);
      if (!target) throw new NotFoundError(`customer ${targetId}`);
      if (source.mergedIntoId !== null || target.mergedIntoId !== null)
        throw new ConflictError('one of the profiles was already merged into another');
      if (source.erasedAt || target.erasedAt) throw new ConflictError('an erased profile cannot be merged');

      const rowsMoved = await repos.merges.moveRows(sourceId, targetId, now);
      const targetBefore = profileFields(target);
      const targetAfter = mergedFields(target, source);
      await repos.customers.update(targetId, asPatch(targetAfter));
      await repos.customers.markMerged(sourceId, targetId, null);
      const customer = await repos.customers.refreshTotals(targetId);
      await repos.customers.refreshTotals(sourceId);

      const moved = { ...rowsMoved, targetBefore, targetAfter, sourceReferralCode: source.referralCode };
      const merge = await repos.merges.create({ sourceId, targetId, reason, ...actorFields(actor), moved, at: now });
      await recordEvent(repos, now, {
        customerId: targetId,
        text: `merged customer ${sourceId}`,
        event: { type: 'customer.merged', mergedId: sourceId, mergeId: merge.id },
      });
      await audit(repos, now, {
        actor,
        action: 'customer.merge',
        entity: 'customer',
        entityId: targetId,
        details: {
          mergeId: merge.id,
          sourceId,
          targetId,
          reason,
          moved: {
            identities: rowsMoved.identities,
            interactions: rowsMoved.interactions,
            orders: rowsMoved.orders,
            cases: rowsMoved.cases,
            conversations: rowsMoved.conversations,
            surveyResponses: rowsMoved.surveyResponses,
            pointsEntries: rowsMoved.pointsEntries,
            redemptions: rowsMoved.redemptions,
            deliveries: rowsMoved.deliveries,
            notes: rowsMoved.notes,
            outbox: rowsMoved.outbox,
            checkIns: rowsMoved.checkIns,
            tags: rowsMoved.tags.map((t) => t.tag),
            chatMembers: rowsMoved.chatMembers.map((m) => m.chatId),
          },
        },
      });
      return { merge, customer };
    });
  }

  /**
   * Reverses a merge: the rows it moved go back to the source, the source is a profile again, and the
   * target's fields the merge filled are restored (unless changed since). Rows created after the
   * merge stay with the target.
   */
  async undo(mergeId: number, actor: Actor): Promise<{ merge: Merge; source: Customer; target: Customer }> {
    return this.deps.store.transaction(async (repos) => {
      const now = this.deps.clock.now();
      const merge = await repos.merges.get(mergeId);
      if (!merge) throw new NotFoundError(`merge ${mergeId}`);
      if (merge.undoneAt) throw new ConflictError('this merge was already undone');
      const [source, target] = await Promise.all([
        repos.customers.get(merge.sourceId),
        repos.customers.get(merge.targetId),
      ]);
      if (!source || !target) throw new NotFoundError(`merge ${mergeId}`);
      if (source.mergedIntoId !== target.id) throw new ConflictError('the source is no longer merged into the target');
      if (target.mergedIntoId !== null) throw new ConflictError('the target was merged into another profile since');

      const { moved } = merge;
      await repos.merges.restoreRows(source.id, target.id, moved);
      const now_ = profileFields(target);
      const restore: Partial<MergedProfileFields> = {};
      for (const key of Object.keys(moved.targetBefore) as (keyof MergedProfileFields)[]) {
        const before = moved.targetBefore[key];
        if (!same(before, moved.targetAfter[key]) && same(now_[key], moved.targetAfter[key])) {
          Object.assign(restore, { [key]: before });
        }
      }
      // Attributes the target had none of before the merge: put back to none.
      const patch = asPatch(restore);
      await repos.customers.update(target.id, {
        ...patch,
        ...('attributes' in restore && restore.attributes === null ? { attributes: {} } : {}),
      });
      const code = moved.sourceReferralCode;
      const freeCode = code && !(await repos.customers.referralCodeTaken(code)) ? code : null;
      await repos.customers.markMerged(source.id, null, freeCode);
      const [sourceAfter, targetAfter] = [
        await repos.customers.refreshTotals(source.id),
        await repos.customers.refreshTotals(target.id),
      ];
      const undone = await repos.merges.markUndone(merge.id, now);
      await recordEvent(repos, now, {
        customerId: target.id,
        text: `merge with customer ${source.id} undone`,
        event: { type: 'customer.unmerged', mergedId: source.id, mergeId: merge.id },
      });
      await audit(repos, now, {
        actor,
        action: 'customer.merge_undo',
        entity: 'customer',
        entityId: target.id,
        details: { mergeId: merge.id, sourceId: source.id, targetId: target.id },
      });
      return { merge: undone, source: sourceAfter, target: targetAfter };
    });
  }

  /**
   * Profiles that look like one person, for staff to decide on (never merged here): the same phone
   * where at least one of the two is verified (came from a signed identity or the shop's orders API),
   * or identities with the same stable key (a WeChat handle, a unionid).
   */
  async suggestions(take = 50): Promise<MergeSuggestion[]> {
    const { repos } = this.deps.store;
    const [phones, keys] = await Promise.all([repos.merges.samePhone(take), repos.merges.sameStableKey(take)]);
    const pairs = [
      ...phones.map((p) => ({ reason: 'phone' as const, shared: p.phone, a: p.a, b: p.b })),
      ...keys.map((k) => ({ reason: 'stable_key' as const, shared: k.key, a: k.a, b: k.b })),
    ];
    const seen = new Set<string>();
    const out: MergeSuggestion[] = [];
    for (const pair of pairs) {
      const key = `${pair.a}:${pair.b}`;
      if (seen.has(key) || out.length >= take) continue;
      seen.add(key);
      const [a, b] = await Promise.all([repos.customers.get(pair.a), repos.customers.get(pair.b)]);
      if (a && b) out.push({ reason: pair.reason, shared: pair.shared, customers: [a, b] });
    }
    return out;
  }
}
