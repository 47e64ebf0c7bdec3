// 群发 campaigns: audience (segment, inline rules or group chats), personalised message with
// buttons, channels, schedule (now / at / cron in the shop's time zone), optional coupon offer.
// Delivery itself is the CampaignRunner's job (campaign-runner.ts); this service creates campaigns,
// changes their status and reports progress and results.
import { CronExpressionParser } from 'cron-parser';
import cron from 'node-cron';
import { z } from 'zod';
import type { NewCampaign } from '../db/repositories/campaigns.ts';
import type { Repositories } from '../db/store.ts';
import type { Campaign, JsonObject } from '../db/types.ts';
import type { Actor, AuditAction } from '../domain/audit.ts';
import {
  CampaignButtonFlow,
  CampaignMessage,
  type CampaignStatus,
  type DeliveryStatus,
  editableCampaignStatuses,
  productButtonPrefix,
} from '../domain/campaigns.ts';
import { ChannelName, channelNames } from '../domain/channels.ts';
import type { Tier } from '../domain/customer.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { type SegmentRule, SegmentRules } from '../domain/segment-rules.ts';
import { isWithin, msUntilEnd, parseHours } from '../kernel/hours.ts';
import { interpolate, type Locale, pickLocale } from '../kernel/i18n.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { tierInfo } from './tiers.ts';

export { CampaignButton, CampaignMessage } from '../domain/campaigns.ts';

/** What a campaign's input is stored as (the same for a new campaign and an edited one). */
type CampaignContent = Omit<NewCampaign, 'kind' | 'automationKey' | 'createdById' | 'at'>;

/** Button data as the router reads it: a flow name, then optional ":"-separated payload fields. */
const buttonAction = /^[a-z][a-z_]*(:[^\s:]+)*$/;

/** The audiences a seller picks from with `/broadcast` on the phone. */
export const BroadcastAudience = z.enum(['all', 'dormant']);
export type BroadcastAudience = z.infer<typeof BroadcastAudience>;

export const CampaignAudience = z.union([
  z.object({ segmentId: z.number().int().positive() }).strict(),
  z.object({ rules: SegmentRules }).strict(),
  z.object({ groups: z.array(z.number().int().positive()).min(1).max(500) }).strict(),
]);
export type CampaignAudience = z.infer<typeof CampaignAudience>;

export const CampaignSchedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('now') }).strict(),
  z.object({ kind: z.literal('at'), at: z.iso.datetime({ offset: true }) }).strict(),
  z
    .object({
      kind: z.literal('cron'),
      cron: z
        .string()
        .trim()
        .min(9)
        .max(100)
        .refine((c) => cron.validate(c), 'not a valid cron expression'),
    })
    .strict(),
]);

export const CampaignInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    audience: CampaignAudience,
    message: CampaignMessage.superRefine((message, ctx) => {
      for (const [i, button] of (message.buttons ?? []).entries()) {
        if (button.action !== undefined && !buttonAction.test(button.action)) {
          ctx.addIssue({
            code: 'custom',
            path: ['buttons', i, 'action'],
            message: 'a flow name, optionally followed by ":payload" (e.g. "loyalty" or "presale:ask:SKU1")',
          });
        }
      }
    }),
    channels: z.array(ChannelName).min(1).max(channelNames.length),
    schedule: CampaignSchedule.default({ kind: 'now' }),
    offerRewardId: z.number().int().positive().optional(),
    /** Save without scheduling; start later. */
    draft: z.boolean().default(false),
  })
  .strict();
export type CampaignInput = z.input<typeof CampaignInput>;

/** Who a campaign message is rendered for: the placeholders' values and the language they read. */
export interface CampaignReader {
  name: string | null;
  locale: string | null;
  tier: Tier;
  pointsBalance: number;
}

/**
 * A campaign message as one reader gets it. The text is the reader's language when the campaign has
 * it (English customers read `textEn`), else the Chinese text; placeholders and button labels are
 * filled in the language of the text actually sent, so a Chinese text never carries English words.
 */
export function renderCampaignMessage(
  message: CampaignMessage,
  reader: CampaignReader | null,
  shopLocale: Locale,
  coupon: string,
): { locale: Locale; text: string; labels: string[] } {
  const wanted = pickLocale(reader?.locale, shopLocale);
  const locale: Locale = wanted === 'en' && message.textEn ? 'en' : 'zh-CN';
  const template = locale === 'en' ? (message.textEn ?? message.text) : message.text;
  const text = interpolate(template, {
    name: reader?.name ?? (locale === 'en' ? 'there' : '朋友'),
    points: reader?.pointsBalance ?? 0,
    tier: tierInfo[reader?.tier ?? 'normal'].label[locale],
    coupon,
  });
  const labels = (message.buttons ?? []).map((b) => (locale === 'en' ? (b.labelEn ?? b.label) : b.label));
  return { locale, text, labels };
}

export const CampaignPreviewInput = z
  .object({ message: CampaignMessage, customerId: z.number().int().positive() })
  .strict();
export type CampaignPreviewInput = z.input<typeof CampaignPreviewInput>;

/** What `{coupon}` shows in a preview: codes are claimed one by one only when a message is sent. */
const sampleCoupon = 'COUPON-0000';

/** The campaign is not in a status the action may start from. */
export class CampaignStateError extends ConflictError {}

const DAY = 86_400_000;

export class CampaignService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(raw: CampaignInput, actor: Actor): Promise<Campaign> {
    const input = CampaignInput.parse(raw);
    const now = this.deps.clock.now();
    const content = await this.content(input, now);
    return this.deps.store.transaction(async (tx) => {
      const campaign = await tx.campaigns.create({
        ...content,
        kind: 'broadcast',
        createdById: actor.type === 'staff' ? actor.staffId : null,
        at: now,
      });
      await this.audit(tx, actor, 'campaign.create', campaign.id, { name: input.name, status: campaign.status });
      return campaign;
    });
  }

  /**
   * Replaces what a campaign sends, to whom and when, while nothing has gone out yet (draft or
   * scheduled; 409 otherwise). `draft` keeps it a draft or schedules it, like at creation. The
   * change is a conditional update, so a runner starting the campaign at the same moment wins cleanly.
   */
  async edit(id: number, raw: CampaignInput, actor: Actor): Promise<Campaign> {
    const input = CampaignInput.parse(raw);
    const before = await this.get(id);
    this.assertEditable(before);
    const content = await this.content(input, this.deps.clock.now());
    await this.deps.store.transaction(async (tx) => {
      const edited = await tx.campaigns.edit(id, editableCampaignStatuses, content);
      if (!edited) {
        const now = await tx.campaigns.get(id);
        this.assertEditable(now ?? before);
      }
      await this.audit(tx, actor, 'campaign.edit', id, {
        name: input.name,
        from: before.status,
        to: content.status,
        ...(before.name === input.name ? {} : { renamedFrom: before.name }),
      });
    });
    return this.get(id);
  }

  private assertEditable(campaign: Campaign): void {
    if (editableCampaignStatuses.includes(campaign.status)) return;
    throw new CampaignStateError(
      `campaign ${campaign.id} is ${campaign.status}: only a draft or scheduled campaign can be edited`,
    );
  }

  /** The stored form of a campaign's input, after checking what it names exists (400/404 otherwise). */
  private async content(input: z.output<typeof CampaignInput>, now: Date): Promise<CampaignContent> {
    const repos = this.deps.store.repos;
    if ('segmentId' in input.audience && !(await repos.segments.get(input.audience.segmentId))) {
      throw new NotFoundError(`segment ${input.audience.segmentId}`);
    }
    await this.checkButtons(input.message);
    if (input.offerRewardId !== undefined && !(await repos.loyalty.reward(input.offerRewardId))) {
      throw new InvalidInputError(`offerRewardId: no reward ${input.offerRewardId}`);
    }
    const schedule = input.schedule;
    return {
      name: input.name,
      status: input.draft ? 'draft' : 'scheduled',
      segmentId: 'segmentId' in input.audience ? input.audience.segmentId : null,
      audience: 'segmentId' in input.audience ? null : input.audience,
      message: input.message,
      channels: input.channels,
      scheduleKind: schedule.kind,
      scheduledAt: schedule.kind === 'at' ? new Date(schedule.at) : schedule.kind === 'now' ? now : null,
      cron: schedule.kind === 'cron' ? schedule.cron : null,
      offerRewardId: input.offerRewardId ?? null,
    };
  }

  /**
   * A button opens a flow a campaign may open, or a product that exists and is on sale — checked
   * here because a wrong one would only show when a customer presses it.
   */
  private async checkButtons(message: CampaignMessage): Promise<void> {
    const catalog = this.deps.store.repos.catalog;
    for (const [i, button] of (message.buttons ?? []).entries()) {
      if (button.action === undefined) continue;
      const field = `message.buttons.${i}.action`;
      if (button.action.startsWith(productButtonPrefix)) {
        const sku = button.action.slice(productButtonPrefix.length);
        const product = await catalog.product(sku);
        if (!product?.active) throw new InvalidInputError(`${field}: no product on sale with SKU "${sku}"`);
      } else if (!CampaignButtonFlow.safeParse(button.action).success) {
        throw new InvalidInputError(
          `${field}: "${button.action}" is not a flow a button can open (${CampaignButtonFlow.options.join(', ')}) nor "${productButtonPrefix}<sku>"`,
        );
      }
    }
  }

  async get(id: number): Promise<Campaign> {
    const campaign = await this.deps.store.repos.campaigns.get(id);
    if (!campaign) throw new NotFoundError(`campaign ${id}`);
    return campaign;
  }

  list() {
    return this.deps.store.repos.campaigns.list();
  }

  /** One page of the campaign's deliveries (oldest first after `afterId`); 404 for an unknown campaign. */
  async deliveries(id: number, page: { take: number; afterId: number; status?: DeliveryStatus }) {
    await this.get(id);
    return this.deps.store.repos.campaigns.deliveries(id, page);
  }

  /** draft → scheduled (a "now" campaign starts on the runner's next tick). */
  async start(id: number, actor: Actor): Promise<Campaign> {
    await this.move(id, ['draft'], 'scheduled', actor, 'campaign.start');
    return this.get(id);
  }

  /** Stops handing messages to the outbox and withdraws those still waiting there. */
  async pause(id: number, actor: Actor): Promise<Campaign> {
    await this.deps.store.transaction(async (repos) => {
      await this.move(id, ['running', 'scheduled'], 'paused', actor, 'campaign.pause');
      await repos.campaigns.withdraw({ campaignId: id }, { status: 'queued' });
    });
    return this.get(id);
  }

  async resume(id: number, actor: Actor): Promise<Campaign> {
    const campaign = await this.get(id);
    // A paused run continues; a campaign paused before its first run goes back to waiting for it.
    const to = campaign.startedAt && campaign.lastRunKey !== null ? 'running' : 'scheduled';
    await this.move(id, ['paused'], to, actor, 'campaign.resume');
    return this.get(id);
  }

  async cancel(id: number, actor: Actor): Promise<Campaign> {
    await this.deps.store.transaction(async (repos) => {
      await this.move(id, ['draft', 'scheduled', 'running', 'paused'], 'cancelled', actor, 'campaign.cancel', {
        completedAt: this.deps.clock.now(),
      });
      await repos.campaigns.withdraw({ campaignId: id }, { status: 'skipped', reason: 'cancelled' });
      const queued = await repos.campaigns.deliveries(id, { status: 'queued', take: 1, afterId: 0 });
      if (queued.length > 0) await this.skipAllQueued(id);
    });
    return this.get(id);
  }

  private async skipAllQueued(campaignId: number): Promise<void> {
    const repos = this.deps.store.repos;
    for (;;) {
      const page = await repos.campaigns.deliveries(campaignId, { status: 'queued', take: 1000, afterId: 0 });
      if (page.length === 0) return;
      await repos.campaigns.skip(
        page.map((d) => d.id),
        'cancelled',
      );
    }
  }

  private async move(
    id: number,
    from: CampaignStatus[],
    to: CampaignStatus,
    actor: Actor,
    action: Extract<AuditAction, `campaign.${string}`>,
    extra: { completedAt?: Date } = {},
  ): Promise<void> {
    await this.deps.store.transaction(async (repos) => {
      const campaign = await repos.campaigns.get(id);
      if (!campaign) throw new NotFoundError(`campaign ${id}`);
      const moved = await repos.campaigns.transition(id, from, to, extra);
      if (!moved) throw new CampaignStateError(`cannot ${action.split('.')[1]} a campaign that is ${campaign.status}`);
      await this.audit(repos, actor, action, id, { from: campaign.status, to });
    });
  }

  async progress(id: number) {
    const campaign = await this.get(id);
    const progress = await this.deps.store.repos.campaigns.progress(id);
    const count = (s: DeliveryStatus) => progress.byStatus.get(s) ?? 0;
    return {
      heldUntil: count('queued') + count('sending') > 0 ? this.quietUntil() : null,
      id,
      status: campaign.status,
      runKey: campaign.lastRunKey,
      total: [...progress.byStatus.values()].reduce((a, b) => a + b, 0),
      queued: count('queued'),
      sending: count('sending'),
      sent: count('sent'),
      failed: count('failed'),
      skipped: count('skipped'),
      unknown: count('unknown'),
      reasons: progress.reasons,
    };
  }

  /** When quiet hours end, while they last (campaign messages wait for that); null outside them. */
  private quietUntil(): Date | null {
    const { quietHours, timezone } = this.deps.config.shop;
    const window = parseHours(quietHours);
    const now = this.deps.clock.now();
    return isWithin(window, now, timezone) ? new Date(now.getTime() + msUntilEnd(window, now, timezone)) : null;
  }

  /**
   * The message as one customer would get it: their language, their placeholders, the labels of the
   * buttons and what each opens. A coupon shows as a sample code (it is only claimed when sent).
   */
  async preview(raw: CampaignPreviewInput) {
    const input = CampaignPreviewInput.parse(raw);
    const customer = await this.deps.store.repos.customers.get(input.customerId);
    if (!customer) throw new NotFoundError(`customer ${input.customerId}`);
    const rendered = renderCampaignMessage(input.message, customer, this.deps.config.shop.locale, sampleCoupon);
    return {
      customer: { id: customer.id, name: customer.name },
      locale: rendered.locale,
      text: rendered.text,
      buttons: (input.message.buttons ?? []).map((b, i) => ({
        label: rendered.labels[i] ?? b.label,
        action: b.action ?? null,
      })),
    };
  }

  async results(id: number, windowDays = 7) {
    await this.get(id);
    return { id, windowDays, ...(await this.deps.store.repos.campaigns.results(id, windowDays)) };
  }

  /** A button press on a campaign message (data `campaign:<deliveryId>:<button>`): counts the click once. */
  async recordClick(deliveryId: number, customerId: number, buttonIndex: number): Promise<string | undefined> {
    const repos = this.deps.store.repos;
    const delivery = await repos.campaigns.getDelivery(deliveryId);
    if (!delivery || delivery.customerId !== customerId) return undefined;
    await repos.campaigns.markClicked(deliveryId, customerId, this.deps.clock.now());
    const campaign = await repos.campaigns.get(delivery.campaignId);
    const message = CampaignMessage.safeParse(campaign?.message);
    return message.success ? message.data.buttons?.[buttonIndex]?.action : undefined;
  }

  /** Sellers allowed to broadcast from their phone: Telegram users listed in TELEGRAM_ADMIN_IDS. */
  isBroadcastAdmin(channel: ChannelName, externalId: string): boolean {
    return channel === 'telegram' && (this.deps.config.telegram?.adminIds ?? []).includes(externalId);
  }

  /** Who a `/broadcast` audience is: every customer who consented to marketing, or the dormant ones among them. */
  broadcastRules(audience: BroadcastAudience): SegmentRule {
    const consenting: SegmentRule = { type: 'consent', optIn: true };
    if (audience === 'dormant') return { type: 'and', rules: [consenting, { type: 'lifecycle', in: ['dormant'] }] };
    return consenting;
  }

  /** The next run time of a cron campaign after `after`, in the shop's time zone. */
  nextRun(expression: string, after: Date): Date {
    const parsed = CronExpressionParser.parse(expression, { currentDate: after, tz: this.deps.config.shop.timezone });
    return parsed.next().toDate();
  }

  weeklyCapSince(now: Date): Date {
    return new Date(now.getTime() - 7 * DAY);
  }

  private audit(repos: Repositories, actor: Actor, action: AuditAction, id: number, details: JsonObject) {
    return audit(repos, this.deps.clock.now(), { actor, action, entity: 'campaign', entityId: id, details });
  }
}
