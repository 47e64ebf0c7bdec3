// Turns campaigns into outbox rows, a window at a time.
//
// Exactly-once design: every recipient has a Delivery row (unique per campaign, run and recipient)
// before anything is sent. A dispatch claims queued deliveries and, in the same transaction, writes
// one outbox row per delivery and links it (delivery → `sending`). The OutboxSender then claims the
// row before calling the platform; a row a dead worker left in `sending` becomes `unknown` and is
// never retried. So after a crash each recipient is in exactly one of: never dispatched (still
// queued, sent by the restarted process), sent once, or unknown.
//
// Consent and the weekly cap are checked when a delivery is claimed, and only a small window of
// messages waits in the outbox at any time; every tick withdraws waiting rows of customers who
// opted out meanwhile, so `退订` is honoured mid-campaign.

import type { DispatchCandidate, NewDelivery, OutgoingCampaignMessage } from '../db/repositories/campaigns.ts';
import type { Repositories } from '../db/repositories.ts';
import type { Campaign } from '../db/types.ts';
import type { DeliverySkipReason } from '../domain/campaigns.ts';
import { ChannelList, type ChannelName, replyWindowMs } from '../domain/channels.ts';
import { SegmentRule } from '../domain/segment-rules.ts';
import { CampaignAudience, CampaignMessage, type CampaignService, renderCampaignMessage } from './campaigns.ts';
import type { ServiceDeps } from './context.ts';

export interface RunnerOptions {
  /** Messages per campaign allowed to wait in the outbox at once. */
  window?: number;
  batchSize?: number;
  tickMs?: number;
}

/**
 * A channel-specific hand-off: inside the dispatch transaction it takes the messages it sends by
 * other means than the outbox (WeCom 客户联系 群发 tasks) and returns the rest.
 */
export type CampaignHandOff = (
  repos: Repositories,
  messages: OutgoingCampaignMessage[],
  campaignId: number,
  now: Date,
) => Promise<OutgoingCampaignMessage[]>;

export class CampaignRunner {
  private handOff: CampaignHandOff | undefined;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly campaigns: CampaignService,
    private readonly options: RunnerOptions = {},
  ) {}

  /** Registers the channel-specific hand-off (services.ts does, for WeCom 客户联系). */
  setHandOff(handOff: CampaignHandOff): void {
    this.handOff = handOff;
  }

  start(tickMs = this.options.tickMs ?? 250): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((error) => this.deps.log.error({ err: error }, 'campaign tick failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, tickMs);
        });
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: start due campaigns, sync delivery states, withdraw opted-out messages, dispatch. Tests call it directly. */
  async tick(): Promise<void> {
    const repos = this.deps.store.repos;
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      await tx.campaigns.withdraw({ optedOut: true }, { status: 'skipped', reason: 'opted_out' });
      await tx.campaigns.syncFromOutbox();
      // A sender may have held a row (pacing) while the campaign was paused: sweep again.
      for (const halted of await tx.campaigns.halted()) {
        await tx.campaigns.withdraw(
          { campaignId: halted.id },
          halted.status === 'paused' ? { status: 'queued' } : { status: 'skipped', reason: 'cancelled' },
        );
      }
    });
    for (const campaign of await repos.campaigns.active(now)) {
      if (this.stopped) return;
      if (campaign.status === 'scheduled') await this.maybeStart(campaign, now);
      else await this.work(campaign, now);
    }
  }

  private async maybeStart(campaign: Campaign, now: Date): Promise<void> {
    const repos = this.deps.store.repos;
    let runKey = '';
    if (campaign.scheduleKind === 'cron') {
      if (!campaign.cron) return;
      const after = campaign.lastRunKey ? new Date(campaign.lastRunKey) : campaign.createdAt;
      let next = this.campaigns.nextRun(campaign.cron, after);
      if (next.getTime() > now.getTime()) return;
      // Runs missed while the shop was down are not caught up one by one: only the latest is sent.
      for (let i = 0; i < 10_000; i++) {
        const following = this.campaigns.nextRun(campaign.cron, next);
        if (following.getTime() > now.getTime()) break;
        next = following;
      }
      runKey = next.toISOString();
    }
    // Conditional on the previous run key: with several instances exactly one starts this run.
    const started = await repos.campaigns.transition(campaign.id, ['scheduled'], 'running', {
      startedAt: now,
      lastRunKey: runKey,
    });
    if (!started) return;
    const fresh = await repos.campaigns.get(campaign.id);
    if (fresh) await this.work(fresh, now);
  }

  private async work(campaign: Campaign, now: Date): Promise<void> {
    if (campaign.kind === 'automation') {
      // Automations never finish: their deliveries are added by triggers (automations.ts), any run key.
      const room = (this.options.window ?? 200) - (await this.deps.store.repos.campaigns.inFlight(campaign.id));
      if (room > 0) await this.dispatch(campaign, null, Math.min(room, this.options.batchSize ?? 500), now);
      return;
    }
    const runKey = campaign.lastRunKey ?? '';
    await this.materialize(campaign, runKey, now);
    const inFlight = await this.deps.store.repos.campaigns.inFlight(campaign.id);
    const room = (this.options.window ?? 200) - inFlight;
    if (room > 0) await this.dispatch(campaign, runKey, Math.min(room, this.options.batchSize ?? 500), now);
    if (!(await this.deps.store.repos.campaigns.unfinished(campaign.id, runKey))) {
      await this.deps.store.repos.campaigns.transition(
        campaign.id,
        ['running'],
        campaign.scheduleKind === 'cron' ? 'scheduled' : 'completed',
        campaign.scheduleKind === 'cron' ? {} : { completedAt: now },
      );
    }
  }

  /** Adds deliveries for an automation trigger: customers matching `rules`, once per `runKey`. */
  async enqueueAudience(campaign: Campaign, runKey: string, rules: SegmentRule, now: Date): Promise<number> {
    const repos = this.deps.store.repos;
    const where = await repos.segments.where(rules, now);
    let after = 0;
    let count = 0;
    for (;;) {
      const ids = await repos.segments.idsPage(where, after, 500);
      if (ids.length === 0) return count;
      after = ids[ids.length - 1] ?? after;
      count += ids.length;
      await repos.campaigns.insertDeliveries(
        campaign.id,
        runKey,
        await this.recipients(ids, channelsOf(campaign)),
        now,
      );
    }
  }

  /** Creates the run's Delivery rows once (re-running after a crash only adds the missing ones). */
  private async materialize(campaign: Campaign, runKey: string, now: Date): Promise<void> {
    const repos = this.deps.store.repos;
    if (await repos.campaigns.isMaterialized(campaign.id, runKey)) return;
    const channels = channelsOf(campaign);
    const audience = campaign.segmentId
      ? { rules: await (async () => SegmentRule.parse((await repos.segments.get(campaign.segmentId ?? 0))?.rules))() }
      : CampaignAudience.parse(campaign.audience);
    if ('groups' in audience) {
      const chats = (await repos.campaigns.groupChats(audience.groups)).filter((c) => channels.includes(c.channel));
      await repos.campaigns.insertDeliveries(
        campaign.id,
        runKey,
        chats.map((chat) => ({
          recipientKey: `chat:${chat.id}`,
          customerId: null,
          chatId: chat.id,
          channel: chat.channel,
          target: chat.externalId,
          status: 'queued',
          reason: null,
        })),
        now,
      );
    } else if ('rules' in audience) {
      const where = await repos.segments.where(audience.rules, now);
      let after = 0;
      for (;;) {
        const ids = await repos.segments.idsPage(where, after, 500);
        if (ids.length === 0) break;
        after = ids[ids.length - 1] ?? after;
        await repos.campaigns.insertDeliveries(campaign.id, runKey, await this.recipients(ids, channels), now);
      }
    }
    await repos.campaigns.markMaterialized(campaign.id, runKey, now);
  }

  /** One delivery per customer: their most recently used reachable identity on the campaign's channels. */
  async recipients(customerIds: number[], channels: ChannelName[]): Promise<NewDelivery[]> {
    const repos = this.deps.store.repos;
    const identities = await repos.campaigns.identitiesFor(customerIds, channels);
    const consent = new Map((await repos.campaigns.customersConsent(customerIds)).map((c) => [c.id, c.marketingOptIn]));
    const best = new Map<number, { channel: ChannelName; externalId: string }>();
    for (const identity of identities) if (!best.has(identity.customerId)) best.set(identity.customerId, identity);
    return customerIds.map((id): NewDelivery => {
      const identity = best.get(id);
      const reason: DeliverySkipReason | null = !consent.get(id) ? 'opted_out' : identity ? null : 'no_channel';
      return {
        recipientKey: `customer:${id}`,
        customerId: id,
        chatId: null,
        channel: identity?.channel ?? '',
        target: identity?.externalId ?? '',
        status: reason ? 'skipped' : 'queued',
        reason,
      };
    });
  }

  /** When each recipient on a channel with a reply window last wrote, keyed `<channel>:<target>`. */
  private async lastSeenInWindowedChannels(
    repos: Repositories,
    candidates: DispatchCandidate[],
  ): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    const byChannel = new Map<ChannelName, string[]>();
    for (const { delivery } of candidates) {
      if (delivery.channel === '' || replyWindowMs[delivery.channel] === undefined) continue;
      byChannel.set(delivery.channel, [...(byChannel.get(delivery.channel) ?? []), delivery.target]);
    }
    for (const [channel, targets] of byChannel) {
      for (const [target, at] of await repos.campaigns.lastSeen(channel, targets)) out.set(`${channel}:${target}`, at);
    }
    return out;
  }

  private async dispatch(campaign: Campaign, runKey: string | null, limit: number, now: Date): Promise<void> {
    const message = CampaignMessage.parse(campaign.message);
    const shop = this.deps.config.shop;
    const cap = this.deps.config.campaigns.weeklyCap;
    const channels = await this.deps.store.transaction(async (repos) => {
      const candidates = await repos.campaigns.claimQueued(campaign.id, runKey, limit);
      if (candidates.length === 0) return [];
      const customerIds = candidates.flatMap((c) => (c.customer ? [c.customer.id] : []));
      const recent = await repos.campaigns.recentMarketingCounts(
        customerIds,
        this.campaigns.weeklyCapSince(now),
        campaign.id,
        runKey ?? '',
      );
      const lastSeen = await this.lastSeenInWindowedChannels(repos, candidates);
      const skipped = new Map<DeliverySkipReason, number[]>();
      const skip = (c: DispatchCandidate, reason: DeliverySkipReason) =>
        skipped.set(reason, [...(skipped.get(reason) ?? []), c.delivery.id]);
      const out: OutgoingCampaignMessage[] = [];
      for (const candidate of candidates) {
        const { delivery, customer } = candidate;
        const channel = delivery.channel;
        if (channel === '') {
          // Only skipped deliveries are written without a channel; this keeps a hand-edited row from being sent.
          skip(candidate, 'no_channel');
          continue;
        }
        if (customer && !customer.marketingOptIn) {
          skip(candidate, 'opted_out');
          continue;
        }
        const window = replyWindowMs[channel];
        if (window !== undefined && delivery.chatId === null) {
          const seen = lastSeen.get(`${channel}:${delivery.target}`);
          if (!seen || now.getTime() - seen.getTime() >= window) {
            // The platform refuses it (微信客服: 48 hours after the customer's last message).
            skip(candidate, 'window_closed');
            continue;
          }
        }
        if (customer && (recent.get(customer.id) ?? 0) >= cap) {
          skip(candidate, 'weekly_cap');
          continue;
        }
        let coupon: string | null = null;
        if (campaign.offerRewardId) {
          coupon = await repos.campaigns.claimCoupon(campaign.offerRewardId, now);
          if (!coupon) {
            skip(candidate, 'no_coupon_left');
            continue;
          }
        }
        const rendered = renderCampaignMessage(message, customer, shop.locale, coupon ?? '');
        out.push({
          deliveryId: delivery.id,
          customerId: customer?.id ?? null,
          channel,
          target: delivery.target,
          group: delivery.chatId !== null,
          text: rendered.text,
          buttons: message.buttons?.length
            ? message.buttons.map((_, i) => ({ label: rendered.labels[i] ?? '', data: `campaign:${delivery.id}:${i}` }))
            : null,
          couponCode: coupon,
        });
      }
      for (const [reason, ids] of skipped) await repos.campaigns.skip(ids, reason);
      const outbox = this.handOff ? await this.handOff(repos, out, campaign.id, now) : out;
      await repos.campaigns.handOver(outbox, campaign.id, now);
      return [...new Set(outbox.map((m) => m.channel))];
    });
    for (const channel of channels) this.deps.events.emit('outbox', { channel, ids: [] });
  }
}

/** The campaign's channels (stored JSON; a row that no longer parses reaches nobody rather than failing the tick). */
function channelsOf(campaign: Campaign): ChannelName[] {
  const parsed = ChannelList.safeParse(campaign.channels);
  return parsed.success ? parsed.data : [];
}
