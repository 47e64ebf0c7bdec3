// Customer-side binding (绑定 / link): a customer asks for a six-digit code in one chat and types it in
// another; the two profiles become one through the merge service. Codes are kept hashed, single use,
// valid ten minutes; issuing and guessing are limited per customer, and wrong guesses overall, with
// the counters in the database (several instances). Answers never say anything about the other profile.
import { createHash, randomInt } from 'node:crypto';
import type { Actor } from '../domain/audit.ts';
import type { ChannelName } from '../domain/channels.ts';
import type { ServiceDeps } from './context.ts';
import type { MergeService } from './merges.ts';

const MINUTE = 60_000;
export const BINDING_CODE_MINUTES = 10;
/** Codes one customer may ask for per hour. */
const MAX_CODES_PER_HOUR = 5;
/** Wrong codes one customer may type per hour. */
const MAX_FAILURES_PER_HOUR = 5;
/** Wrong codes everyone together may type per ten minutes: bounds guessing with many fresh profiles. */
const MAX_FAILURES_OVERALL = 200;

export type IssueResult = { status: 'issued'; code: string; minutes: number } | { status: 'limited' };

export type RedeemResult =
  /** The two profiles are one now: `customerId` survives; the issuing chat is (channel, externalId). */
  | { status: 'linked'; customerId: number; mergeId: number; channel: ChannelName; externalId: string }
  /** The code is this customer's own, or the two chats already share a profile. */
  | { status: 'same' }
  /** Unknown, expired or used: the same answer for all three. */
  | { status: 'invalid' }
  | { status: 'limited' };

const hash = (code: string) => createHash('sha256').update(`guanxi-binding:${code}`).digest('hex');

export class BindingService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly merges: MergeService,
  ) {}

  /** A fresh code for the customer writing from (channel, externalId); earlier unused codes stop working. */
  async issue(customerId: number, channel: ChannelName, externalId: string): Promise<IssueResult> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (repos) => {
      if ((await repos.binding.issuedSince(customerId, new Date(now.getTime() - 60 * MINUTE))) >= MAX_CODES_PER_HOUR)
        return { status: 'limited' };
      let code = '';
      for (let tries = 0; tries < 20; tries++) {
        code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        if (!(await repos.binding.live(hash(code), now))) break;
      }
      await repos.binding.issue({
        customerId,
        channel,
        externalId,
        codeHash: hash(code),
        expiresAt: new Date(now.getTime() + BINDING_CODE_MINUTES * MINUTE),
        at: now,
      });
      return { status: 'issued', code, minutes: BINDING_CODE_MINUTES };
    });
  }

  /**
   * Uses a code typed by `customerId`: the profile that asked for it is merged into this one (the
   * customer typing is the one in the chat right now, so their conversation carries on). Audited by
   * the merge, with the customer as actor.
   */
  async redeem(customerId: number, code: string): Promise<RedeemResult> {
    const now = this.deps.clock.now();
    const actor: Actor = { type: 'customer', customerId };
    const result = await this.deps.store.transaction(async (repos): Promise<RedeemResult> => {
      const hourAgo = new Date(now.getTime() - 60 * MINUTE);
      const recent = new Date(now.getTime() - BINDING_CODE_MINUTES * MINUTE);
      if (
        (await repos.binding.failedSince(hourAgo, customerId)) >= MAX_FAILURES_PER_HOUR ||
        (await repos.binding.failedSince(recent)) >= MAX_FAILURES_OVERALL
      )
        return { status: 'limited' };
      const found = /^\d{6}$/.test(code) ? await repos.binding.live(hash(code), now) : null;
      if (!found) return { status: 'invalid' };
      const issuer = await repos.customers.get(found.customerId);
      const source = issuer ? await repos.customers.survivor(issuer) : null;
      if (!source || source.erasedAt) return { status: 'invalid' };
      if (source.id === customerId) return { status: 'same' };
      if (!(await repos.binding.use(found.id, now))) return { status: 'invalid' };
      await repos.binding.recordAttempt(customerId, true, now);
      const { merge } = await this.merges.merge({
        sourceId: source.id,
        targetId: customerId,
        reason: 'binding',
        actor,
      });
      return { status: 'linked', customerId, mergeId: merge.id, channel: found.channel, externalId: found.externalId };
    });
    // A wrong code is counted outside the transaction above: a refusal must still leave its trace.
    if (result.status === 'invalid') await this.deps.store.repos.binding.recordAttempt(customerId, false, now);
    return result;
  }
}
