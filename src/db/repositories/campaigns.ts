// Campaigns and their deliveries. A Delivery row exists for every recipient before anything is
// sent (unique campaign+run+recipient); dispatch moves a batch of them to the outbox in one
// transaction, so a crash leaves each delivery either untouched (queued) or with its outbox row.
import type { AutomationKey, CampaignKind, CampaignStatus, ScheduleKind } from '../../domain/campaigns.ts';
import { type DeliveryChannel, type DeliverySkipReason, DeliveryStatus } from '../../domain/campaigns.ts';
import type { ChannelName } from '../../domain/channels.ts';
import { Tier } from '../../domain/customer.ts';
import { uncountedOrderStatuses } from '../../domain/orders.ts';
import { finalOutboxStatuses } from '../../domain/outbox.ts';
// Prisma.DbNull is the same runtime sentinel in both generated clients.
import { Prisma } from '../../generated/sqlite/client.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Campaign, Delivery, JsonValue } from '../types.ts';
import { insertMany, literal, num, type Provider, plusDays } from './raw.ts';

export interface NewCampaign {
  name: string;
  kind: CampaignKind;
  automationKey?: AutomationKey | null;
  status: CampaignStatus;
  segmentId?: number | null;
  audience?: JsonValue;
  message: JsonValue;
  channels: ChannelName[];
  scheduleKind: ScheduleKind;
  scheduledAt?: Date | null;
  cron?: string | null;
  offerRewardId?: number | null;
  createdById?: number | null;
  at: Date;
}

export interface NewDelivery {
  recipientKey: string;
  customerId: number | null;
  chatId: number | null;
  channel: DeliveryChannel;
  target: string;
  status: Extract<DeliveryStatus, 'queued' | 'skipped'>;
  reason: DeliverySkipReason | null;
}

/** A queued delivery joined with what rendering and the consent/cap checks need. */
export interface DispatchCandidate {
  delivery: Delivery;
  customer: {
    id: number;
    name: string | null;
    locale: string | null;
    tier: Tier;
    pointsBalance: number;
    marketingOptIn: boolean;
  } | null;
}

export interface OutgoingCampaignMessage {
  deliveryId: number;
  customerId: number | null;
  channel: ChannelName;
  target: string;
  group: boolean;
  text: string;
  buttons: JsonValue;
  couponCode: string | null;
}

/** Delivery states that count against the weekly marketing cap: the message went, or may have. */
const mayHaveArrived: DeliveryStatus[] = ['sending', 'sent', 'unknown'];
/** Final delivery states with a reason worth reporting. */
const notSent: DeliveryStatus[] = ['skipped', 'failed', 'unknown'];

/** Campaign updates the services make (status moves go through `transition`). */
export interface CampaignPatch {
  message?: JsonValue;
  status?: CampaignStatus;
}

export class CampaignRepository {
  constructor(
    private readonly db: PrismaTx,
    private readonly provider: Provider,
  ) {}

  async create(input: NewCampaign): Promise<Campaign> {
    const { at, audience, message, channels, ...rest } = input;
    const created = await this.db.campaign.create({
      data: {
        ...rest,
        ...(audience === undefined || audience === null ? {} : { audience }),
        message: message ?? {},
        channels,
        createdAt: at,
      },
    });
    return rows.campaign(created);
  }

  async get(id: number): Promise<Campaign | null> {
    const found = await this.db.campaign.findUnique({ where: { id } });
    return found && rows.campaign(found);
  }

  async byAutomationKey(key: AutomationKey): Promise<Campaign | null> {
    const found = await this.db.campaign.findUnique({ where: { automationKey: key } });
    return found && rows.campaign(found);
  }

  async list(take = 100): Promise<Campaign[]> {
    return (await this.db.campaign.findMany({ orderBy: { id: 'desc' }, take })).map(rows.campaign);
  }

  async update(id: number, patch: CampaignPatch): Promise<Campaign> {
    const { message, ...rest } = patch;
    const data = { ...rest, ...(message === undefined || message === null ? {} : { message }) };
    return rows.campaign(await this.db.campaign.update({ where: { id }, data }));
  }

  /**
   * Replaces a campaign's content only while it is in one of `from` (the runner may start it at the
   * same moment: one of the two wins). False when it was not.
   */
  async edit(
    id: number,
    from: readonly CampaignStatus[],
    content: Omit<NewCampaign, 'kind' | 'automationKey' | 'createdById' | 'at'>,
  ): Promise<boolean> {
    const { audience, message, channels, ...rest } = content;
    const result = await this.db.campaign.updateMany({
      where: { id, status: { in: [...from] } },
      data: {
        ...rest,
        audience: audience === undefined || audience === null ? Prisma.DbNull : audience,
        message: message ?? {},
        channels,
      },
    });
    return result.count === 1;
  }

  /** The campaigns whose audience is saved segment `segmentId`. */
  async usingSegment(segmentId: number): Promise<Campaign[]> {
    return (await this.db.campaign.findMany({ where: { segmentId }, orderBy: { id: 'asc' } })).map(rows.campaign);
  }

  /** Keeps a segment's rules in the campaigns that used it (as their own audience) before it is deleted. */
  async detachSegment(segmentId: number, rules: JsonValue): Promise<void> {
    await this.db.campaign.updateMany({ where: { segmentId }, data: { segmentId: null, audience: { rules } } });
  }

  /** Moves a campaign between statuses only from an expected one (two clicks, two instances: one wins). */
  async transition(
    id: number,
    from: CampaignStatus[],
    to: CampaignStatus,
    extra: Prisma.CampaignUpdateManyMutationInput = {},
  ) {
    const result = await this.db.campaign.updateMany({
      where: { id, status: { in: from } },
      data: { status: to, ...extra },
    });
    return result.count === 1;
  }

  /** Campaigns whose start time has come, and running ones that still have work. */
  async active(now: Date): Promise<Campaign[]> {
    const found = await this.db.campaign.findMany({
      where: {
        OR: [
          { status: 'running' },
          {
            status: 'scheduled',
            scheduleKind: { in: ['now', 'at'] },
            OR: [{ scheduledAt: null }, { scheduledAt: { lte: now } }],
          },
          { status: 'scheduled', scheduleKind: 'cron' },
        ],
      },
      orderBy: { id: 'asc' },
    });
    return found.map(rows.campaign);
  }

  /** Paused or cancelled campaigns that still have messages handed to the outbox. */
  async halted(): Promise<Campaign[]> {
    const halted: CampaignStatus[] = ['paused', 'cancelled'];
    const found = await this.db.campaign.findMany({
      where: { status: { in: halted }, deliveries: { some: { status: 'sending' } } },
    });
    return found.map(rows.campaign);
  }

  /** Inserts deliveries; existing (campaign, run, recipient) rows are left alone, so this can be re-run. */
  async insertDeliveries(campaignId: number, runKey: string, rows: NewDelivery[], at: Date): Promise<void> {
    const chunk = 500;
    // ISO with an explicit offset: the form the SQLite adapter stores, and valid timestamp input on PostgreSQL.
    const created = literal(at.toISOString().replace('Z', '+00:00'));
    for (let i = 0; i < rows.length; i += chunk) {
      const values = rows
        .slice(i, i + chunk)
        .map(
          (r) =>
            `(${campaignId}, ${literal(runKey)}, ${literal(r.recipientKey)}, ${literal(r.customerId)}, ${literal(r.chatId)}, ${literal(r.channel)}, ${literal(r.target)}, ${literal(r.status)}, ${literal(r.reason)}, ${created})`,
        )
        .join(',');
      await this.db.$executeRawUnsafe(
        `INSERT INTO "Delivery" ("campaignId", "runKey", "recipientKey", "customerId", "chatId", "channel", "target", "status", "reason", "createdAt")
         VALUES ${values} ON CONFLICT ("campaignId", "runKey", "recipientKey") DO NOTHING`,
      );
    }
  }

  /** Reachable identities of these customers on the given channels, most recently seen first. */
  async identitiesFor(customerIds: number[], channels: ChannelName[]) {
    const found = await this.db.identity.findMany({
      where: { customerId: { in: customerIds }, channel: { in: channels }, canMessage: true },
      orderBy: [{ customerId: 'asc' }, { lastSeenAt: 'desc' }],
      select: { customerId: true, channel: true, externalId: true },
    });
    return found.map(rows.identity);
  }

  customersConsent(customerIds: number[]) {
    return this.db.customer.findMany({
      where: { id: { in: customerIds } },
      select: { id: true, marketingOptIn: true },
    });
  }

  async groupChats(chatIds: number[]) {
    return (await this.db.chat.findMany({ where: { id: { in: chatIds }, kind: 'group' } })).map(rows.chat);
  }

  async isMaterialized(campaignId: number, runKey: string): Promise<boolean> {
    const row = await this.db.jobRun.findUnique({
      where: { name_runKey: { name: 'campaign-audience', runKey: `${campaignId}:${runKey}` } },
    });
    return row?.status === 'done';
  }

  async markMaterialized(campaignId: number, runKey: string, at: Date): Promise<void> {
    const key = { name: 'campaign-audience', runKey: `${campaignId}:${runKey}` };
    await this.db.jobRun.upsert({
      where: { name_runKey: key },
      create: { ...key, status: 'done', startedAt: at, finishedAt: at },
      update: { status: 'done', finishedAt: at },
    });
  }

  /**
   * Claims up to `limit` queued deliveries of one run, or of any run when `runKey` is null
   * (automations). PostgreSQL: rows locked by another instance are skipped.
   */
  async claimQueued(campaignId: number, runKey: string | null, limit: number): Promise<DispatchCandidate[]> {
    let ids: number[];
    if (this.provider === 'postgresql') {
      const rows = await this.db.$queryRawUnsafe<{ id: number }[]>(
        `SELECT "id" FROM "Delivery" WHERE "campaignId" = $1 AND ($2::text IS NULL OR "runKey" = $2) AND "status" = 'queued'
         ORDER BY "id" LIMIT $3 FOR UPDATE SKIP LOCKED`,
        campaignId,
        runKey,
        limit,
      );
      ids = rows.map((r) => num(r.id));
    } else {
      const rows = await this.db.delivery.findMany({
        where: { campaignId, ...(runKey === null ? {} : { runKey }), status: 'queued' },
        orderBy: { id: 'asc' },
        take: limit,
        select: { id: true },
      });
      ids = rows.map((r) => r.id);
    }
    if (ids.length === 0) return [];
    const deliveries = await this.db.delivery.findMany({
      where: { id: { in: ids } },
      orderBy: { id: 'asc' },
      include: {
        customer: {
          select: { id: true, name: true, locale: true, tier: true, pointsBalance: true, marketingOptIn: true },
        },
      },
    });
    return deliveries.map(({ customer, ...delivery }) => ({
      delivery: rows.delivery(delivery),
      customer: customer && { ...customer, tier: Tier.parse(customer.tier) },
    }));
  }

  /** When each of these users last wrote on `channel` (their identity's lastSeenAt, kept to the minute). */
  async lastSeen(channel: ChannelName, externalIds: string[]): Promise<Map<string, Date>> {
    if (externalIds.length === 0) return new Map();
    const found = await this.db.identity.findMany({
      where: { channel, externalId: { in: externalIds } },
      select: { externalId: true, lastSeenAt: true },
    });
    return new Map(found.map((i) => [i.externalId, i.lastSeenAt]));
  }

  /** Marketing messages each customer got (or may have got) since `since`, other than this run. */
  async recentMarketingCounts(customerIds: number[], since: Date, campaignId: number, runKey: string) {
    if (customerIds.length === 0) return new Map<number, number>();
    const rows = await this.db.delivery.groupBy({
      by: ['customerId'],
      where: {
        customerId: { in: customerIds },
        status: { in: mayHaveArrived },
        NOT: { campaignId, runKey },
        OR: [{ sentAt: { gte: since } }, { sentAt: null, createdAt: { gte: since } }],
      },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.customerId ?? 0, r._count._all]));
  }

  async skip(ids: number[], reason: DeliverySkipReason): Promise<void> {
    if (ids.length === 0) return;
    await this.db.delivery.updateMany({
      where: { id: { in: ids }, status: 'queued' },
      data: { status: 'skipped', reason },
    });
  }

  /** Takes one unassigned code of a reward, atomically (two deliveries never get the same code). */
  async claimCoupon(rewardId: number, at: Date): Promise<string | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const free = await this.db.rewardCode.findFirst({
        where: { rewardId, redemptionId: null, assignedAt: null },
        orderBy: { id: 'asc' },
        select: { id: true, code: true },
      });
      if (!free) return null;
      const taken = await this.db.rewardCode.updateMany({
        where: { id: free.id, redemptionId: null, assignedAt: null },
        data: { assignedAt: at },
      });
      if (taken.count === 1) return free.code;
    }
    return null;
  }

  /**
   * Writes one outbox row per message and links each delivery to it (queued → sending), in the
   * caller's transaction. The outbox `sourceKey` is `campaign:<deliveryId>`.
   */
  async handOver(messages: OutgoingCampaignMessage[], campaignId: number, at: Date): Promise<void> {
    if (messages.length === 0) return;
    await insertMany(
      this.db,
      this.provider,
      'OutboxMessage',
      [
        'channel',
        'chatExternalId',
        'customerId',
        'purpose',
        'sourceKey',
        'text',
        { name: 'buttons', json: true },
        { name: 'meta', json: true },
        'status',
        'notBefore',
        'attempts',
        'createdAt',
      ],
      messages.map((m) => [
        m.channel,
        m.target,
        m.customerId,
        'campaign',
        `campaign:${m.deliveryId}`,
        m.text,
        m.buttons === null ? null : JSON.stringify(m.buttons),
        JSON.stringify({ group: m.group, campaignId, deliveryId: m.deliveryId }),
        'queued',
        at,
        0,
        at,
      ]),
    );
    const ids = messages.map((m) => m.deliveryId).join(',');
    await this.db.$executeRawUnsafe(
      `UPDATE "Delivery" SET "status" = 'sending', "outboxId" =
         (SELECT MAX(o."id") FROM "OutboxMessage" o WHERE o."sourceKey" = 'campaign:' || "Delivery"."id")
       WHERE "id" IN (${ids}) AND "status" = 'queued'`,
    );
    for (const m of messages) {
      if (m.couponCode)
        await this.db.delivery.update({ where: { id: m.deliveryId }, data: { couponCode: m.couponCode } });
    }
    const logged = messages.filter((m) => m.customerId !== null);
    await insertMany(
      this.db,
      this.provider,
      'Interaction',
      ['customerId', 'channel', 'direction', 'kind', 'text', { name: 'payload', json: true }, 'createdAt'],
      logged.map((m) => [
        m.customerId,
        m.channel,
        'out',
        'campaign',
        m.text,
        JSON.stringify({ campaignId, deliveryId: m.deliveryId }),
        at,
      ]),
    );
  }

  /** Copies the outbox's final state onto deliveries still `sending` (join on outboxId). */
  syncFromOutbox(): Promise<number> {
    return this.db.$executeRawUnsafe(
      `UPDATE "Delivery" SET "status" = o."status", "sentAt" = o."sentAt", "reason" = o."error"
       FROM "OutboxMessage" o
       WHERE o."id" = "Delivery"."outboxId" AND "Delivery"."status" = 'sending' AND o."status" IN (${finalOutboxStatuses.map((s) => literal(s)).join(',')})`,
    );
  }

  /**
   * Withdraws campaign messages still waiting in the outbox (never claimed by a sender, so certainly
   * not sent). `scope` picks which: one campaign (pause/cancel) or every customer who opted out.
   * Their deliveries go back to `queued` (pause) or become `skipped`.
   */
  async withdraw(
    scope: { campaignId: number } | { optedOut: true },
    outcome: { status: 'queued' } | { status: 'skipped'; reason: DeliverySkipReason },
  ): Promise<number> {
    const where =
      'campaignId' in scope
        ? `"id" IN (SELECT "outboxId" FROM "Delivery" WHERE "campaignId" = ${Math.trunc(scope.campaignId)} AND "status" = 'sending' AND "outboxId" IS NOT NULL)`
        : `EXISTS (SELECT 1 FROM "Customer" c WHERE c."id" = "OutboxMessage"."customerId" AND c."marketingOptIn" = false)`;
    const reason = outcome.status === 'skipped' ? outcome.reason : 'withdrawn';
    const rows = await this.db.$queryRawUnsafe<{ id: unknown }[]>(
      `UPDATE "OutboxMessage" SET "status" = 'failed', "error" = ${literal(`withdrawn: ${reason}`)}
       WHERE "purpose" = 'campaign' AND "status" = 'queued' AND ${where} RETURNING "id"`,
    );
    const ids = rows.map((r) => num(r.id));
    if (ids.length === 0) return 0;
    await this.db.delivery.updateMany({
      where: { outboxId: { in: ids }, status: 'sending' },
      data:
        outcome.status === 'queued'
          ? { status: 'queued', outboxId: null }
          : { status: 'skipped', reason: outcome.reason },
    });
    return ids.length;
  }

  /** Deliveries handed to the outbox and not yet final, per campaign (the dispatch window). */
  inFlight(campaignId: number): Promise<number> {
    // Deliveries handed to a WeCom 群发 task (no outbox row) wait for staff, not for the sender.
    return this.db.delivery.count({ where: { campaignId, status: 'sending', outboxId: { not: null } } });
  }

  /** Whether a run still has deliveries to send or to settle (existence, not a count: runs can be huge). */
  async unfinished(campaignId: number, runKey: string): Promise<boolean> {
    const open: DeliveryStatus[] = ['queued', 'sending'];
    const row = await this.db.delivery.findFirst({
      where: { campaignId, runKey, status: { in: open } },
      select: { id: true },
    });
    return row !== null;
  }

  async progress(campaignId: number) {
    const byStatus = await this.db.delivery.groupBy({
      by: ['status'],
      where: { campaignId },
      _count: { _all: true },
    });
    const byReason = await this.db.delivery.groupBy({
      by: ['status', 'reason'],
      where: { campaignId, status: { in: notSent } },
      _count: { _all: true },
    });
    const counts = new Map<DeliveryStatus, number>();
    for (const r of byStatus) counts.set(DeliveryStatus.parse(r.status), r._count._all);
    return {
      byStatus: counts,
      reasons: byReason.map((r) => ({
        status: DeliveryStatus.parse(r.status),
        reason: r.reason,
        count: r._count._all,
      })),
    };
  }

  async deliveries(
    campaignId: number,
    options: { status?: DeliveryStatus; take: number; afterId: number },
  ): Promise<Delivery[]> {
    const found = await this.db.delivery.findMany({
      where: { campaignId, id: { gt: options.afterId }, ...(options.status ? { status: options.status } : {}) },
      orderBy: { id: 'asc' },
      take: options.take,
    });
    return found.map(rows.delivery);
  }

  async getDelivery(id: number): Promise<Delivery | null> {
    const found = await this.db.delivery.findUnique({ where: { id } });
    return found && rows.delivery(found);
  }

  async markClicked(deliveryId: number, customerId: number, at: Date): Promise<boolean> {
    const result = await this.db.delivery.updateMany({
      where: { id: deliveryId, customerId, clickedAt: null },
      data: { clickedAt: at },
    });
    return result.count === 1;
  }

  /** Delivered / clicked / replied / opted out / attributed orders and revenue, with one query each. */
  async results(campaignId: number, windowDays: number) {
    const p = this.provider;
    const sent = `d."campaignId" = ${Math.trunc(campaignId)} AND d."status" = 'sent' AND d."sentAt" IS NOT NULL`;
    const end = plusDays(p, 'd."sentAt"', windowDays);
    const one = async (sql: string) => {
      const rows = await this.db.$queryRawUnsafe<{ n: unknown; v?: unknown }[]>(sql);
      return { n: num(rows[0]?.n), v: num(rows[0]?.v) };
    };
    const delivered = await one(`SELECT COUNT(*) AS n FROM "Delivery" d WHERE ${sent}`);
    const clicked = await one(`SELECT COUNT(*) AS n FROM "Delivery" d WHERE ${sent} AND d."clickedAt" IS NOT NULL`);
    const replied = await one(
      `SELECT COUNT(*) AS n FROM "Delivery" d WHERE ${sent} AND EXISTS (SELECT 1 FROM "Interaction" i
         WHERE i."customerId" = d."customerId" AND i."direction" = 'in' AND i."createdAt" > d."sentAt" AND i."createdAt" <= ${end})`,
    );
    const optedOut = await one(
      `SELECT COUNT(*) AS n FROM "Delivery" d JOIN "Customer" c ON c."id" = d."customerId"
       WHERE ${sent} AND c."marketingOptIn" = false AND c."marketingOptOutAt" > d."sentAt" AND c."marketingOptOutAt" <= ${end}`,
    );
    const orders = await one(
      `SELECT COUNT(*) AS n, COALESCE(SUM(o."total" - o."refundedAmount"), 0) AS v FROM "Order" o
       WHERE o."status" NOT IN (${uncountedOrderStatuses.map((s) => literal(s)).join(', ')}) AND (o."campaignId" = ${Math.trunc(campaignId)} OR EXISTS (
         SELECT 1 FROM "Delivery" d WHERE ${sent} AND d."customerId" = o."customerId"
           AND o."placedAt" > d."sentAt" AND o."placedAt" <= ${end}))`,
    );
    return {
      delivered: delivered.n,
      clicked: clicked.n,
      replied: replied.n,
      optedOut: optedOut.n,
      orders: orders.n,
      revenue: orders.v,
    };
  }
}
