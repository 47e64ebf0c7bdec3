// Signed webchat identity (ARCHITECTURE.md §10 "Webchat"): a shop site that knows its logged-in
// customer passes `identity: { externalId, name?, phone?, hash }` with hash = hex HMAC-SHA256(
// WEBCHAT_IDENTITY_SECRET, externalId). A valid hash links the visitor to Identity (webchat,
// externalId) — the one POST /api/orders uses — so every device of that customer lands on one
// profile; an anonymous profile the visitor built before is merged into it (merge service). Once
// the shop vouched for an externalId, a bare visitorId of the same value is refused. An invalid
// hash is refused before anything is written.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { UnauthorizedError } from '../domain/errors.ts';
import { PhoneText } from '../domain/phone.ts';
import { normalisePhone } from '../kernel/privacy.ts';
import type { ServiceDeps } from './context.ts';
import type { MergeService } from './merges.ts';

export const SignedIdentityInput = z
  .object({
    externalId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.:@-]+$/, 'externalId uses A-Z, a-z, 0-9, _ . : @ -'),
    name: z.string().trim().min(1).max(100).optional(),
    phone: PhoneText.optional(),
    hash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'hash is a hex HMAC-SHA256 (64 characters)'),
  })
  .strict();
export type SignedIdentityInput = z.infer<typeof SignedIdentityInput>;

/** The hash a shop's server computes for one of its customers (also what the docs' snippets do). */
export function signIdentity(secret: string, externalId: string): string {
  return createHmac('sha256', secret).update(externalId, 'utf8').digest('hex');
}

export class SignedIdentityService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly merges: MergeService,
  ) {}

  /**
   * Refuses (401) a hash that is not the shop's signature of externalId (constant-time comparison).
   * Writes nothing: the route calls it before anything else, so an invalid identity leaves no trace.
   */
  verify(identity: SignedIdentityInput): void {
    const secret = this.deps.config.webchatIdentity.secret;
    const expected = secret ? Buffer.from(signIdentity(secret, identity.externalId), 'hex') : undefined;
    const given = Buffer.from(identity.hash, 'hex');
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new UnauthorizedError('invalid signed identity');
  }

  /**
   * A visitor message without `identity`: refused when the visitorId names a shop identity the shop
   * has vouched for (only a valid hash may speak as that customer).
   */
  async checkBare(visitorId: string): Promise<void> {
    const identity = await this.deps.store.repos.customers.findIdentity('webchat', visitorId);
    if (identity?.verifiedAt) throw new UnauthorizedError('this visitor id belongs to a signed identity');
  }

  /** Links the visitor to the shop customer behind a valid signed identity; 401 before any write otherwise. */
  async link(visitorId: string, input: SignedIdentityInput): Promise<void> {
    this.verify(input);
    const now = this.deps.clock.now();
    const phone = input.phone ? normalisePhone(input.phone) : undefined;
    await this.deps.store.transaction(async (repos) => {
      const shop =
        (await repos.customers.findIdentity('webchat', input.externalId)) ??
        (
          await repos.customers.createWithIdentity({
            channel: 'webchat',
            externalId: input.externalId,
            ...(input.name ? { displayName: input.name } : {}),
            at: now,
          })
        ).identity;
      if (!shop.verifiedAt) await repos.customers.updateIdentity(shop.id, { verifiedAt: now });
      const customer = await repos.customers.survivor(shop.customer);
      const patch = {
        ...(input.name && !customer.name ? { name: input.name } : {}),
        ...(phone && !customer.phone ? { phone } : {}),
        ...(phone && (!customer.phone || customer.phone === phone) && !customer.phoneVerifiedAt
          ? { phoneVerifiedAt: now }
          : {}),
      };
      if (Object.keys(patch).length > 0) await repos.customers.update(customer.id, patch);
      if (visitorId === input.externalId) return;

      const visitor = await repos.customers.findIdentity('webchat', visitorId);
      if (!visitor) {
        await repos.customers.addIdentity(customer.id, 'webchat', visitorId, input.name);
        return;
      }
      if (visitor.verifiedAt) throw new UnauthorizedError('this visitor id belongs to another signed identity');
      const current = await repos.customers.survivor(visitor.customer);
      if (current.id === customer.id) return;
      // The visitor's profile so far: anonymous → folded into the shop customer; another shop
      // customer (a shared browser) → left alone, the visitor now speaks as this one.
      const vouched = (await repos.customers.identities(current.id)).some((i) => i.verifiedAt !== null);
      if (vouched || current.erasedAt) {
        await repos.customers.updateIdentity(visitor.id, { customerId: customer.id });
      } else {
        await this.merges.merge({
          sourceId: current.id,
          targetId: customer.id,
          reason: 'signed_identity',
          actor: { type: 'system' },
        });
      }
    });
  }
}
