// The points ledger: every change is a PointsEntry with a unique idempotency key, written in the same
// transaction as the cached Customer.pointsBalance. Earn rules (orders, check-in, birthday, first
// order, referral, surveys), refunds, expiry, tiers and staff adjustments all go through `post`.
import { randomBytes } from 'node:crypto';
import type { ExpiringPoints } from '../db/hot-reads.ts';
import { isUniqueViolation } from '../db/repositories/errors.ts';
import type { NewPointsEntry } from '../db/repositories/loyalty.ts';
import type { PointsEntry } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import { type Tier, tiers } from '../domain/customer.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.ts';
import { DAY } from '../kernel/clock.ts';
import { dayKey, startOfDay } from '../kernel/hours.ts';
import { formatDate, interpolate, msg } from '../kernel/i18n.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { assertCustomerInScope, isAgent, requireAdminActor } from './customer-access.ts';
import type { MessagingService } from './messaging.ts';
import type { OrderStatusChange } from './orders.ts';
import { recordEvent } from './profile-events.ts';
import { tierFor, tierInfo } from './tiers.ts';

/** A debit would take the balance below its floor (staff adjustment); nothing was written. */
export class InsufficientPointsError extends ConflictError {
  constructor(
    readonly balance: number,
    readonly needed: number,
  ) {
    super(`not enough points: balance ${balance}, needed ${needed}`);
  }
}

import { AdjustInput } from '../domain/loyalty-input.ts';

export type PostInput = Omit<NewPointsEntry, 'expiresAt'>;

const text = {
  tierUp: msg('🎉 恭喜升级为{tier}！权益：{perks}', '🎉 You are now {tier}! Perks: {perks}'),
  tierDown: msg('你的会员等级调整为{tier}。', 'Your membership tier is now {tier}.'),
  birthday: msg('🎂 生日快乐！送你 {points} 积分。', '🎂 Happy birthday! Here are {points} points for you.'),
  expiring: msg(
    '⏰ 你有 {points} 积分将于 {date} 过期，记得使用哦（发送“积分”查看可兑换的礼品）。',
    '⏰ {points} of your points expire on {date}. Send "points" to see what you can get for them.',
  ),
};

export class LoyaltyService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly messaging: MessagingService,
  ) {}

  private get rules() {
    return this.deps.config.loyalty;
  }

  /** When points earned at `at` expire: N months later, or (0) at the end of the following year. */
  expiryFor(at: Date): Date {
    const tz = this.deps.config.shop.timezone;
    if (this.rules.expiryMonths > 0) {
      const d = new Date(at);
      d.setUTCMonth(d.getUTCMonth() + this.rules.expiryMonths);
      return d;
    }
    const year = Number(dayKey(at, tz).slice(0, 4));
    // Noon UTC on 1 January is already 1 January in the shop's zone; its local midnight is the cut.
    return startOfDay(new Date(Date.UTC(year + 2, 0, 1, 12)), tz);
  }

  /**
   * Applies one ledger entry exactly once. The customer row is locked first, so a duplicate delivered
   * concurrently waits and then finds the committed entry. With `floor` a debit that would take the
   * balance below it is refused (InsufficientPointsError) and nothing is written.
   */
  async post(input: PostInput, options: { floor?: number } = {}): Promise<{ entry: PointsEntry; created: boolean }> {
    const { store } = this.deps;
    try {
      const result = await store.ledger.post({
        ...input,
        expiresAt: input.amount > 0 ? this.expiryFor(input.at) : null,
        floor: options.floor,
      });
      if (result.status === 'unknown_customer') throw new NotFoundError(`customer ${input.customerId}`);
      if (result.status === 'insufficient') throw new InsufficientPointsError(result.balance, -input.amount);
      return { entry: result.entry, created: result.status === 'created' };
    } catch (error) {
      // Only reachable outside an enclosing transaction (inside one, PostgreSQL has aborted it).
      if (!isUniqueViolation(error)) throw error;
      const existing = await store.repos.loyalty.entryByKey(input.idempotencyKey);
      if (!existing) throw error;
      return { entry: existing, created: false };
    }
  }

  /** The balance as the ledger sums it (the authority). */
  async balance(customerId: number): Promise<number> {
    return this.deps.store.repos.loyalty.ledgerSum(customerId);
  }

  /** The balance kept on the customer row: equal to the ledger sum, and one cheap read for the chat menus. */
  currentBalance(customerId: number): Promise<number> {
    return this.deps.store.reads.pointsBalance(customerId);
  }

  /** Points a purchase of `fen` earns at the customer's tier. */
  purchasePoints(fen: number, tier: Tier): number {
    return Math.floor((fen / 100) * this.deps.config.loyalty.pointsPerYuan * tierInfo[tier].multiplier);
  }

  /** Order status listener (registered on OrderService); runs inside the order's transaction. */
  async onOrderStatus(change: OrderStatusChange): Promise<void> {
    if (change.to === 'completed') await this.orderCompleted(change);
    if (change.to === 'refunded' || change.order.refundedAmount > 0) await this.orderRefunded(change);
  }

  private async orderCompleted({ order, at }: OrderStatusChange): Promise<void> {
    const repos = this.deps.store.repos;
    const customer = await repos.customers.get(order.customerId);
    if (!customer) return;
    const paid = order.total - order.refundedAmount;
    const points = this.purchasePoints(paid, customer.tier);
    const reference = `order:${order.orderNo}`;
    if (points > 0) {
      await this.post({
        customerId: order.customerId,
        amount: points,
        kind: 'earn',
        reason: 'purchase',
        reference,
        idempotencyKey: `order:${order.orderNo}:earn`,
        at,
      });
    }
    if ((await repos.loyalty.completedOrderCount(order.customerId)) === 1) {
      if (this.rules.firstOrder > 0) {
        await this.post({
          customerId: order.customerId,
          amount: this.rules.firstOrder,
          kind: 'earn',
          reason: 'first_order',
          reference,
          idempotencyKey: `customer:${order.customerId}:first-order`,
          at,
        });
      }
      if (customer.referredById && this.rules.referral > 0) {
        const { created } = await this.post({
          customerId: customer.referredById,
          amount: this.rules.referral,
          kind: 'earn',
          reason: 'referral',
          reference: `customer:${order.customerId}`,
          idempotencyKey: `referral:${order.customerId}`,
          at,
        });
        if (created) await this.refreshTier(customer.referredById, at);
      }
    }
    await this.refreshTier(order.customerId, at);
  }

  /**
   * Takes back the purchase points in proportion to the amount refunded. The reversal is exact even if
   * the points were already spent: the balance may then go below zero (a points debt that later
   * earnings pay off), and redemptions stay blocked until it is positive again.
   */
  private async orderRefunded({ order, at }: OrderStatusChange): Promise<void> {
    const repos = this.deps.store.repos;
    const earn = await repos.loyalty.entryByKey(`order:${order.orderNo}:earn`);
    if (!earn || order.total <= 0) return;
    const refunded = Math.min(order.refundedAmount, order.total);
    const target = Math.floor((earn.amount * refunded) / order.total);
    const already = -(await repos.loyalty.sumByKeyPrefix(`order:${order.orderNo}:reverse`));
    const delta = target - already;
    if (delta <= 0) return;
    await this.post({
      customerId: order.customerId,
      amount: -delta,
      kind: 'reverse',
      reason: `refund ${refunded}/${order.total}`,
      reference: `order:${order.orderNo}`,
      idempotencyKey: `order:${order.orderNo}:reverse:${refunded}`,
      at,
    });
    await this.refreshTier(order.customerId, at);
  }

  /** Daily check-in (签到): one per shop-local day; every Nth consecutive day adds a bonus. */
  async checkIn(
    customerId: number,
    now: Date,
  ): Promise<{ status: 'ok' | 'already'; streak: number; points: number; balance: number }> {
    const tz = this.deps.config.shop.timezone;
    const day = dayKey(now, tz);
    const yesterday = dayKey(new Date(now.getTime() - DAY), tz);
    const attempt = () =>
      this.deps.store.transaction(async (repos) => {
        await repos.loyalty.lockCustomer(customerId);
        const today = await repos.loyalty.checkInOn(customerId, day);
        if (today) {
          return {
            status: 'already' as const,
            streak: today.streak,
            points: 0,
            balance: (await repos.loyalty.cachedBalance(customerId)) ?? 0,
          };
        }
        const last = await repos.loyalty.lastCheckIn(customerId);
        const streak = last?.day === yesterday ? last.streak + 1 : 1;
        await repos.loyalty.createCheckIn(customerId, day, streak, now);
        const points = this.rules.checkIn + (streak % this.rules.streakDays === 0 ? this.rules.streakBonus : 0);
        if (points > 0) {
          await this.post({
            customerId,
            amount: points,
            kind: 'earn',
            reason: streak % this.rules.streakDays === 0 ? `check-in streak ${streak}` : 'check-in',
            reference: `checkin:${day}`,
            idempotencyKey: `checkin:${customerId}:${day}`,
            at: now,
          });
        }
        return {
          status: 'ok' as const,
          streak,
          points,
          balance: (await repos.loyalty.cachedBalance(customerId)) ?? 0,
        };
      });
    try {
      return await attempt();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return attempt();
    }
  }

  /**
   * A manual adjustment. Admins adjust any amount; an agent only for a customer in their scope and
   * within AGENT_POINTS_LIMIT either way.
   */
  async adjust(customerId: number, input: AdjustInput, actor: Actor): Promise<PointsEntry> {
    const data = AdjustInput.parse(input);
    await assertCustomerInScope(this.deps.store.repos, actor, customerId);
    const limit = this.deps.config.access.agentPointsLimit;
    if (isAgent(actor) && Math.abs(data.amount) > limit) {
      throw new ForbiddenError(`agents may adjust at most ${limit} points at a time`);
    }
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (repos) => {
      const customer = await repos.customers.get(customerId);
      if (!customer) throw new NotFoundError(`customer ${customerId}`);
      const key = `adjust:${data.idempotencyKey ?? randomBytes(12).toString('hex')}`;
      const { entry, created } = await this.post(
        {
          customerId,
          amount: data.amount,
          kind: 'adjust',
          reason: data.reason,
          reference: null,
          idempotencyKey: key,
          staffId: actor.type === 'staff' ? actor.staffId : null,
          at: now,
        },
        data.amount < 0 ? { floor: 0 } : {},
      );
      if (created) {
        await audit(repos, now, {
          actor,
          action: 'points.adjust',
          entity: 'customer',
          entityId: customerId,
          details: { amount: data.amount, reason: data.reason, entryId: entry.id },
        });
        await recordEvent(repos, now, {
          customerId,
          text: `points ${data.amount > 0 ? '+' : ''}${data.amount}: ${data.reason}`,
          event: { type: 'points.adjust', amount: data.amount, entryId: entry.id },
          staffId: actor.type === 'staff' ? actor.staffId : null,
        });
        await this.refreshTier(customerId, now);
      }
      return entry;
    });
  }

  /** Recomputes the tier from the last 12 months; a change is logged and the customer told. */
  async refreshTier(customerId: number, now: Date): Promise<Tier> {
    const repos = this.deps.store.repos;
    const customer = await repos.customers.get(customerId);
    if (!customer) return 'normal';
    const since = new Date(now.getTime() - 365 * DAY);
    const value =
      this.rules.tierBasis === 'spend'
        ? await repos.loyalty.spentSince(customerId, since)
        : await repos.loyalty.earnedSince(customerId, since);
    const next = tierFor(value, this.rules.tierThresholds);
    const current = customer.tier;
    if (next === current) return current;
    await this.deps.store.transaction(async (tx) => {
      await tx.loyalty.setTier(customerId, next, now);
      await recordEvent(tx, now, {
        customerId,
        text: `tier ${current} → ${next}`,
        event: { type: 'loyalty.tier', from: current, to: next, basis: this.rules.tierBasis, value },
      });
      const up = tiers.indexOf(next) > tiers.indexOf(current);
      await this.messaging.sendToCustomer(
        customerId,
        (locale) => ({
          text: interpolate((up ? text.tierUp : text.tierDown)[locale], {
            tier: tierInfo[next].label[locale],
            perks: tierInfo[next].perks[locale],
          }),
        }),
        { purpose: 'notification' },
      );
    });
    return next;
  }

  /** Expires every positive entry past its expiry, once (the key and `remaining` make reruns no-ops). */
  async expireDue(now: Date): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.deps.store.repos.loyalty.expiring(now, 200);
      if (due.length === 0) return expired;
      for (const entry of due) {
        const done = await this.deps.store.transaction(async (repos) => {
          await repos.loyalty.lockCustomer(entry.customerId);
          if (await repos.loyalty.entryByKey(`expire:${entry.id}`)) return 0;
          const remaining = await repos.loyalty.takeRemaining(entry.id);
          if (remaining <= 0) return 0;
          await repos.loyalty.changeBalance(entry.customerId, -remaining);
          await repos.loyalty.insertEntry({
            customerId: entry.customerId,
            amount: -remaining,
            kind: 'expire',
            reason: 'expired',
            reference: `entry:${entry.id}`,
            idempotencyKey: `expire:${entry.id}`,
            expiresAt: null,
            at: now,
          });
          return remaining;
        });
        if (done > 0) expired += 1;
      }
    }
  }

  /** Tells customers whose points expire within the reminder window; once per customer and expiry date. */
  async remindExpiring(now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + this.rules.reminderDays * DAY);
    const due = await this.deps.store.repos.loyalty.expiring(horizon, 10_000);
    const byCustomer = new Map<number, { points: number; at: Date }>();
    for (const entry of due) {
      if (!entry.expiresAt || entry.expiresAt <= now) continue;
      const seen = byCustomer.get(entry.customerId);
      const at = seen && seen.at < entry.expiresAt ? seen.at : entry.expiresAt;
      byCustomer.set(entry.customerId, { points: (seen?.points ?? 0) + (entry.remaining ?? 0), at });
    }
    let sent = 0;
    const tz = this.deps.config.shop.timezone;
    for (const [customerId, { points, at }] of byCustomer) {
      const claimed = await this.deps.store.repos.loyalty.claimRun(
        'points-reminder',
        `${customerId}:${dayKey(at, tz)}`,
        now,
      );
      if (!claimed) continue;
      await this.messaging.sendToCustomer(
        customerId,
        (locale) => ({
          text: interpolate(text.expiring[locale], { points, date: formatDate(at, locale, tz).slice(0, 10) }),
        }),
        { purpose: 'notification' },
      );
      sent += 1;
    }
    return sent;
  }

  /** Birthday points, once per customer per year, on the customer's birthday in the shop's zone. */
  async creditBirthdays(now: Date): Promise<number> {
    if (this.rules.birthday <= 0) return 0;
    const day = dayKey(now, this.deps.config.shop.timezone);
    const monthDay = day.slice(5);
    const year = day.slice(0, 4);
    let credited = 0;
    let afterId = 0;
    for (;;) {
      const batch = await this.deps.store.repos.loyalty.customersWithBirthday(500, afterId);
      if (batch.length === 0) return credited;
      afterId = batch[batch.length - 1]?.id ?? afterId;
      for (const customer of batch) {
        if (!customer.birthday?.endsWith(monthDay)) continue;
        const { created } = await this.post({
          customerId: customer.id,
          amount: this.rules.birthday,
          kind: 'earn',
          reason: 'birthday',
          reference: `birthday:${year}`,
          idempotencyKey: `birthday:${customer.id}:${year}`,
          at: now,
        });
        if (!created) continue;
        credited += 1;
        await this.messaging.sendToCustomer(
          customer.id,
          (locale) => ({ text: interpolate(text.birthday[locale], { points: this.rules.birthday }) }),
          { purpose: 'notification' },
        );
      }
    }
  }

  /** Re-evaluates tiers as the 12-month window slides (demotions happen with no new activity). */
  async refreshAllTiers(now: Date): Promise<void> {
    let afterId = 0;
    for (;;) {
      const ids = await this.deps.store.repos.loyalty.customerIdsWithPoints(500, afterId);
      if (ids.length === 0) return;
      afterId = ids[ids.length - 1] ?? afterId;
      for (const id of ids) await this.refreshTier(id, now);
    }
  }

  async referralCode(customerId: number): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const customer = await this.deps.store.repos.customers.get(customerId);
      if (!customer) throw new NotFoundError(`customer ${customerId}`);
      if (customer.referralCode) return customer.referralCode;
      const code = randomBytes(5).toString('hex').toUpperCase();
      try {
        await this.deps.store.repos.loyalty.setReferralCode(customerId, code);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new Error('could not allocate a referral code');
  }

  /** Records who referred this customer (once, not themselves, only before their first completed order). */
  async applyReferral(customerId: number, code: string): Promise<'ok' | 'invalid' | 'already' | 'too_late'> {
    const repos = this.deps.store.repos;
    const referrer = await repos.loyalty.findByReferralCode(code.toUpperCase());
    if (!referrer || referrer.id === customerId || referrer.mergedIntoId !== null) return 'invalid';
    const customer = await repos.customers.get(customerId);
    if (!customer) return 'invalid';
    if (customer.referredById !== null) return customer.referredById === referrer.id ? 'ok' : 'already';
    if ((await repos.loyalty.completedOrderCount(customerId)) > 0) return 'too_late';
    const set = await repos.loyalty.setReferrer(customerId, referrer.id);
    if (set) {
      await recordEvent(repos, this.deps.clock.now(), {
        customerId,
        text: `referred by customer ${referrer.id}`,
        event: { type: 'loyalty.referral', referrerId: referrer.id },
      });
    }
    return set ? 'ok' : 'already';
  }

  /** Points that expire within the reminder window, and the earliest date. */
  async expiringSoon(customerId: number, now: Date): Promise<ExpiringPoints> {
    return this.deps.store.reads.expiringPoints(customerId, new Date(now.getTime() + this.rules.reminderDays * DAY));
  }

  async ledger(customerId: number, actor: Actor, take = 100, skip = 0) {
    const repos = this.deps.store.repos;
    const customer = await repos.customers.get(customerId);
    if (!customer) throw new NotFoundError(`customer ${customerId}`);
    await assertCustomerInScope(repos, actor, customerId);
    return {
      customerId,
      balance: await repos.loyalty.ledgerSum(customerId),
      cachedBalance: customer.pointsBalance,
      tier: customer.tier,
      tierSince: customer.tierSince,
      referralCode: customer.referralCode,
      expiringSoon: await this.expiringSoon(customerId, this.deps.clock.now()),
      entries: await repos.loyalty.entries(customerId, take, skip),
      redemptions: await repos.loyalty.redemptions(customerId),
    };
  }

  /** The ledger as CSV (one customer or everyone); the export itself is audited. */
  async exportCsv(actor: Actor, customerId?: number): Promise<string> {
    const repos = this.deps.store.repos;
    if (customerId === undefined) requireAdminActor(actor, 'exporting the whole ledger');
    else await assertCustomerInScope(repos, actor, customerId);
    const header = 'id,customerId,createdAt,kind,amount,reason,reference,idempotencyKey,expiresAt,remaining,staffId';
    const lines = [header];
    for (let skip = 0; ; skip += 5000) {
      const batch = await repos.loyalty.entries(customerId, 5000, skip);
      for (const e of batch) {
        lines.push(
          [
            e.id,
            e.customerId,
            e.createdAt.toISOString(),
            e.kind,
            e.amount,
            e.reason,
            e.reference ?? '',
            e.idempotencyKey,
            e.expiresAt?.toISOString() ?? '',
            e.remaining ?? '',
            e.staffId ?? '',
          ]
            .map(csvCell)
            .join(','),
        );
      }
      if (batch.length < 5000) break;
    }
    await audit(repos, this.deps.clock.now(), {
      actor,
      action: 'points.export',
      entity: customerId === undefined ? 'ledger' : 'customer',
      entityId: customerId ?? null,
      details: { rows: lines.length - 1 },
    });
    return `${lines.join('\n')}\n`;
  }

  /** Customers whose cached balance is not the ledger sum (`guanxi verify`). */
  verify() {
    return this.deps.store.repos.loyalty.mismatches();
  }
}

function csvCell(value: string | number): string {
  const s = String(value);
  // A leading =, +, - or @ would run as a formula in spreadsheets; quote it and prefix a '.
  const safe = /^[=+\-@]/.test(s) && typeof value === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}
