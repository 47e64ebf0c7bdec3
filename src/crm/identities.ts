// Platform users as channel adapters see them: whether Guanxi knows one, whether the bot can message
// them privately, and linking a user whose platform id changed to the profile behind a stable key.
import type { ChannelName } from '../domain/messages.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { objectOrEmpty } from './customers.ts';

export class IdentityService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Whether this platform user has written before (has an Identity). */
  async isKnown(channel: ChannelName, externalId: string): Promise<boolean> {
    return (await this.deps.store.repos.customers.findIdentity(channel, externalId)) !== null;
  }

  /**
   * Records whether the bot can message the user privately: false when they blocked the bot or never
   * opened a chat with it (proactive sends to them stop), true when they (re)open the chat.
   */
  async setReachable(channel: ChannelName, externalId: string, reachable: boolean): Promise<void> {
    // Every Telegram /start asks; almost always nothing changes, so the check is a prepared read.
    if ((await this.deps.store.reads.canMessage(channel, externalId)) !== !reachable) return;
    const { repos } = this.deps.store;
    const identity = await repos.customers.findIdentity(channel, externalId);
    if (identity && identity.canMessage !== reachable) {
      await repos.customers.updateIdentity(identity.id, { canMessage: reachable });
    }
  }

  /**
   * Keeps the user's stable key (a handle or remark name that survives a platform id change) on their
   * identity. An unknown platform id whose stable key matches a known identity is linked to the same
   * customer, so the profile, points and orders survive a re-login.
   */
  async reconcileStableKey(
    channel: ChannelName,
    user: { externalId: string; displayName: string; stableKey: string | undefined },
  ): Promise<void> {
    const { repos } = this.deps.store;
    const key = user.stableKey;
    const existing = await repos.customers.findIdentity(channel, user.externalId);
    if (existing) {
      if (key && existing.alias !== key) await repos.customers.updateIdentity(existing.id, { alias: key });
      return;
    }
    if (!key) return;
    const previous = await repos.customers.findByIdentityAlias(channel, key);
    if (!previous) return;
    const identity = await repos.customers.addIdentity(previous.customerId, channel, user.externalId, user.displayName);
    await repos.customers.updateIdentity(identity.id, { alias: key });
    this.deps.log.info(
      { customerId: previous.customerId, channel },
      'platform id changed: linked to the existing profile',
    );
  }

  /**
   * Keeps where the user came from (a WeCom 微信客服 entry scene and its parameter: a poster, a parcel
   * insert) as the profile's `source` attribute. The first source is kept; later ones do not replace it.
   */
  async recordSource(channel: ChannelName, externalId: string, source: string): Promise<void> {
    await this.deps.store.transaction(async (repos) => {
      const identity = await repos.customers.findIdentity(channel, externalId);
      if (!identity) return;
      const attributes = objectOrEmpty(identity.customer.attributes);
      if (attributes.source !== undefined) return;
      await repos.customers.update(identity.customerId, {
        attributes: { ...attributes, source: source.slice(0, 200) },
      });
      await audit(repos, this.deps.clock.now(), {
        actor: { type: 'system' },
        action: 'customer.update',
        entity: 'customer',
        entityId: identity.customerId,
        details: { fields: ['attributes.source'], channel },
      });
    });
  }
}
