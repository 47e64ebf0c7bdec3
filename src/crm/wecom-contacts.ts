// WeCom 客户联系 (external contacts) for 私域 operations: contacts added by staff become profiles
// (identity `wecom`, external_userid) and get the shop's welcome within the WelcomeCode's 20 seconds;
// deleted contacts are recorded on the profile; 渠道活码 (contact-way QR codes, one `state` per
// source) attribute contacts and their later orders to a source; Guanxi tags and segments are pushed
// to WeCom corp tags. The WeCom calls go through a gateway the composition root connects when
// WECOM_CONTACT_SECRET is set (adapters/wecom/contacts/api.ts implements it).
import { randomBytes } from 'node:crypto';
import type { OutgoingCampaignMessage } from '../db/repositories/campaigns.ts';
import type { ContactWayRow } from '../db/repositories/wecom-contacts.ts';
import type { Repositories } from '../db/store.ts';
import type { Actor } from '../domain/audit.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { SegmentRule } from '../domain/segment-rules.ts';
import {
  type ContactEvent,
  ContactSource,
  type ContactWayInput,
  type GroupSendOutcome,
  type GroupSendStatus,
  type TagPushInput,
} from '../domain/wecom-contacts.ts';
import { msg, translator } from '../kernel/i18n.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { recordEvent } from './profile-events.ts';

/** What the contact service asks of WeCom (adapters/wecom/contacts/api.ts). */
export interface WecomContactsGateway {
  sendWelcome(welcomeCode: string, text: string): Promise<void>;
  addContactWay(input: { state: string; staffUserIds: string[]; remark: string }): Promise<{
    configId: string;
    qrCode: string;
  }>;
  ensureTags(groupName: string, names: string[]): Promise<Map<string, string>>;
  markTags(input: { staffUserId: string; externalUserId: string; tagIds: string[] }): Promise<void>;
  addMsgTemplate(input: {
    sender: string;
    externalUserIds: string[];
    text: string;
  }): Promise<{ msgid: string; failed: string[] }>;
  groupSendResult(
    msgid: string,
    staffUserId: string,
  ): Promise<Array<{ externalUserId: string; outcome: GroupSendOutcome }>>;
}

/** WeCom accepts a WelcomeCode for 20 seconds after the add event. */
export const WELCOME_CODE_LIFETIME_MS = 20_000;
/** The corp tag group Guanxi's tags are pushed into. */
export const TAG_GROUP = 'Guanxi';

const welcomeText = msg(
  '你好，我是{shop}的客服，很高兴认识你！有任何问题都可以直接发消息给我。',
  'Hello, this is {shop}. Nice to meet you! Message me any time you have a question.',
);

/** The rows in groups of equal key (compared as JSON), in the order each group first appears. */
function groupedBy<T>(rows: readonly T[], key: (row: T) => unknown[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = JSON.stringify(key(row));
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return [...groups.values()];
}

export class WecomContactService {
  private gateway: WecomContactsGateway | undefined;

  constructor(private readonly deps: ServiceDeps) {}

  /** Called by the composition root when WECOM_CONTACT_SECRET is set. */
  connect(gateway: WecomContactsGateway): void {
    this.gateway = gateway;
  }

  get enabled(): boolean {
    return this.gateway !== undefined;
  }

  /** A 客户联系 callback event (already verified and decrypted by the adapter). */
  async onEvent(event: ContactEvent): Promise<void> {
    if (event.kind === 'added') await this.added(event);
    else await this.lost(event);
  }

  private async added(event: Extract<ContactEvent, { kind: 'added' }>): Promise<void> {
    const { externalUserId, staffUserId, at } = event;
    const now = this.deps.clock.now();
    const result = await this.deps.store.transaction(async (repos) => {
      const previous = await repos.wecomContacts.contact(externalUserId, staffUserId);
      // WeCom redelivers a callback it got no answer to in time: the same add is handled once.
      if (previous?.status === 'active' && previous.addedAt.getTime() === at.getTime()) return undefined;
      const way = event.state ? await repos.wecomContacts.wayByState(event.state) : null;
      const { customer } = await repos.customers.identify('wecom', externalUserId, undefined, now);
      const contact = await repos.wecomContacts.upsertActive({
        customerId: customer.id,
        externalUserId,
        staffUserId,
        state: event.state ?? null,
        contactWayId: way?.id ?? null,
        at,
      });
      await recordEvent(repos, now, {
        customerId: customer.id,
        channel: 'wecom',
        event: { type: 'wecom.contact_added', staffUserId, ...(way ? { source: way.source } : {}) },
        text: way ? `WeCom contact added by ${staffUserId} via ${way.name}` : `WeCom contact added by ${staffUserId}`,
      });
      return { contact, way };
    });
    if (!result || !event.welcomeCode) return;
    await this.welcome(result.contact.id, event.welcomeCode, result.way, at);
  }

  /** The welcome goes out only while the code is valid; a late or failed one is logged, never retried. */
  private async welcome(contactId: number, code: string, way: ContactWayRow | null, addedAt: Date): Promise<void> {
    const now = this.deps.clock.now();
    if (!this.gateway) return;
    if (now.getTime() - addedAt.getTime() >= WELCOME_CODE_LIFETIME_MS) {
      this.deps.log.warn({ contactId }, 'wecom welcome skipped: the welcome code has expired');
      return;
    }
    const shop = this.deps.config.shop;
    const text = way?.welcomeText ?? translator(shop.locale)(welcomeText, { shop: shop.name });
    try {
      await this.gateway.sendWelcome(code, text);
      await this.deps.store.repos.wecomContacts.markWelcomed(contactId, now);
    } catch (error) {
      this.deps.log.warn({ err: error, contactId }, 'wecom welcome message failed');
    }
  }

  private async lost(event: Extract<ContactEvent, { kind: 'lost' }>): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (repos) => {
      const contact = await repos.wecomContacts.contact(event.externalUserId, event.staffUserId);
      if (!contact || contact.status === 'lost') return;
      await repos.wecomContacts.markLost(contact.id, event.reason, event.at);
      await recordEvent(repos, now, {
        customerId: contact.customerId,
        channel: 'wecom',
        event: { type: 'wecom.contact_lost', staffUserId: event.staffUserId, reason: event.reason },
        text:
          event.reason === 'customer_deleted'
            ? `The customer deleted WeCom contact ${event.staffUserId}`
            : `${event.staffUserId} deleted the customer on WeCom`,
      });
    });
  }

  /** The customer's WeCom follow relations (who added them, through which code, live or lost). */
  contactsOf(customerId: number) {
    return this.deps.store.repos.wecomContacts.contactsOf(customerId);
  }

  // 渠道活码

  async createContactWay(input: ContactWayInput, actor: Actor): Promise<ContactWayRow> {
    const gateway = this.requireGateway();
    // WeCom limits `state` to 30 characters; the source prefix makes the add events readable.
    const state = `${input.source}-${randomBytes(6).toString('hex')}`;
    const created = await this.callWecom(() =>
      gateway.addContactWay({ state, staffUserIds: input.staffUserIds, remark: input.name }),
    );
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (repos) => {
      const row = await repos.wecomContacts.createWay({
        name: input.name,
        source: input.source,
        state,
        configId: created.configId,
        qrCode: created.qrCode,
        staffUserIds: input.staffUserIds,
        welcomeText: input.welcomeText ?? null,
        createdAt: now,
      });
      await audit(repos, now, {
        actor,
        action: 'wecom.contact_way',
        entity: 'wecom_contact_way',
        entityId: row.id,
        details: { name: row.name, source: row.source, state },
      });
      return row;
    });
  }

  contactWays(): Promise<ContactWayRow[]> {
    return this.deps.store.repos.wecomContacts.ways();
  }

  /** Per 渠道活码 and per source: contacts it brought, their first orders after being added, and revenue. */
  async sourceReport() {
    const repos = this.deps.store.repos;
    const ways = await repos.wecomContacts.ways();
    const figures = new Map((await repos.wecomContacts.sourceReport()).map((r) => [r.contactWayId, r]));
    const rows = ways.map((way) => ({
      contactWayId: way.id,
      name: way.name,
      source: way.source,
      contacts: figures.get(way.id)?.contacts ?? 0,
      firstOrders: figures.get(way.id)?.firstOrders ?? 0,
      revenue: figures.get(way.id)?.revenue ?? 0,
    }));
    const sources = ContactSource.options.map((source) => {
      const mine = rows.filter((r) => r.source === source);
      return {
        source,
        contacts: mine.reduce((n, r) => n + r.contacts, 0),
        firstOrders: mine.reduce((n, r) => n + r.firstOrders, 0),
        revenue: mine.reduce((n, r) => n + r.revenue, 0),
      };
    });
    return { contactWays: rows, sources };
  }

  // Tags

  /** Pushes Guanxi tags and segment memberships to WeCom corp tags on every live contact that has them. */
  async pushTags(input: TagPushInput, actor: Actor) {
    const gateway = this.requireGateway();
    const repos = this.deps.store.repos;
    const now = this.deps.clock.now();
    const wanted = new Map<number, Set<string>>();
    const want = (customerId: number, tag: string) => {
      let set = wanted.get(customerId);
      if (!set) {
        set = new Set();
        wanted.set(customerId, set);
      }
      set.add(tag);
    };
    for (const segmentId of input.segmentIds) {
      const segment = await repos.segments.get(segmentId);
      if (!segment) throw new NotFoundError(`segment ${segmentId}`);
      const where = await repos.segments.where(SegmentRule.parse(segment.rules), now);
      for (let after = 0; ; ) {
        const ids = await repos.segments.idsPage(where, after, 500);
        if (ids.length === 0) break;
        after = ids[ids.length - 1] ?? after;
        for (const id of ids) want(id, segment.name.slice(0, 30));
      }
    }
    const contacts = [];
    for (let after = 0; ; ) {
      const page = await repos.wecomContacts.activeContacts(undefined, after, 500);
      if (page.length === 0) break;
      after = page[page.length - 1]?.id ?? after;
      for (const contact of page) {
        if (input.tags.length > 0) {
          const own = await repos.customers.tags(contact.customerId);
          for (const tag of own) if (input.tags.includes(tag)) want(contact.customerId, tag);
        }
        if (wanted.has(contact.customerId)) contacts.push(contact);
      }
    }
    const names = [...new Set([...wanted.values()].flatMap((set) => [...set]))];
    const tagIds = names.length ? await this.callWecom(() => gateway.ensureTags(TAG_GROUP, names)) : new Map();
    let marked = 0;
    let failed = 0;
    for (const contact of contacts) {
      const ids = [...(wanted.get(contact.customerId) ?? [])].flatMap((name) => tagIds.get(name) ?? []);
      if (ids.length === 0) continue;
      try {
        await gateway.markTags({
          staffUserId: contact.staffUserId,
          externalUserId: contact.externalUserId,
          tagIds: ids,
        });
        marked++;
      } catch (error) {
        failed++;
        this.deps.log.warn({ err: error, contactId: contact.id }, 'wecom mark_tag failed');
      }
    }
    await this.deps.store.transaction((tx) =>
      audit(tx, now, {
        actor,
        action: 'wecom.tags_push',
        entity: 'customer',
        details: { tags: names, contacts: contacts.length, marked, failed },
      }),
    );
    return { tags: names, contacts: contacts.length, marked, failed };
  }

  // 群发 (campaigns to contacts)

  /**
   * The campaign hand-off (CampaignRunner.setHandOff): messages to customers who are live WeCom
   * contacts become 群发 hand-offs, sent as tasks that staff confirm in the WeCom app (the platform
   * has no silent bulk send); the rest go on to the outbox. Runs inside the dispatch transaction.
   */
  async takeCampaignMessages(
    repos: Repositories,
    messages: OutgoingCampaignMessage[],
    campaignId: number,
    now: Date,
  ): Promise<OutgoingCampaignMessage[]> {
    if (!this.gateway) return messages;
    const wecom = messages.filter((m) => m.channel === 'wecom' && !m.group);
    if (wecom.length === 0) return messages;
    const contacts = await repos.wecomContacts.activeByExternal(wecom.map((m) => m.target));
    const taken = wecom.filter((m) => contacts.has(m.target));
    if (taken.length === 0) return messages;
    await repos.wecomContacts.addGroupSends(
      taken.map((m) => ({
        deliveryId: m.deliveryId,
        campaignId,
        staffUserId: contacts.get(m.target)?.staffUserId ?? '',
        externalUserId: m.target,
        text: m.text,
      })),
      now,
    );
    await repos.wecomContacts.markDeliveriesHanded(
      taken.map((m) => ({ deliveryId: m.deliveryId, couponCode: m.couponCode })),
    );
    const handed = new Set(taken.map((m) => m.deliveryId));
    return messages.filter((m) => !handed.has(m.deliveryId));
  }

  /** Creates the 群发 tasks for pending hand-offs: one per staff member and text (add_msg_template). */
  async submitGroupSends(now: Date): Promise<{ tasks: number; handedOver: number; failed: number }> {
    const result = { tasks: 0, handedOver: 0, failed: 0 };
    const gateway = this.gateway;
    if (!gateway) return result;
    const repos = this.deps.store.repos;
    const pending = await repos.wecomContacts.groupSends('pending', 5000);
    for (const rows of groupedBy(pending, (row) => [row.campaignId, row.staffUserId, row.text])) {
      // Claimed under a key of our own, so two instances never submit the same contact twice.
      const claim = `claim:${randomBytes(8).toString('hex')}`;
      const ids = rows.map((r) => r.id);
      if ((await repos.wecomContacts.moveGroupSends(ids, 'pending', 'submitting', { detail: claim })) === 0) continue;
      const claimed = await repos.wecomContacts.claimedGroupSends(claim);
      const first = claimed[0];
      if (!first) continue;
      const claimedIds = claimed.map((r) => r.id);
      try {
        const task = await gateway.addMsgTemplate({
          sender: first.staffUserId,
          externalUserIds: claimed.map((r) => r.externalUserId),
          text: first.text,
        });
        const refused = claimed.filter((r) => task.failed.includes(r.externalUserId));
        const accepted = claimed.filter((r) => !task.failed.includes(r.externalUserId));
        await this.deps.store.transaction(async (tx) => {
          await tx.wecomContacts.moveGroupSends(
            accepted.map((r) => r.id),
            'submitting',
            'submitted',
            { msgid: task.msgid, submittedAt: now, detail: null },
          );
          await tx.wecomContacts.moveGroupSends(
            refused.map((r) => r.id),
            'submitting',
            'failed',
            { msgid: task.msgid, detail: 'not_friend' },
          );
          await tx.wecomContacts.settleDeliveries(
            refused.map((r) => r.deliveryId),
            { status: 'failed', reason: 'not_friend' },
          );
        });
        result.tasks++;
        result.handedOver += accepted.length;
        result.failed += refused.length;
      } catch (error) {
        // Refused: nothing was created. No answer: WeCom may hold the task, so it is never repeated.
        const unknown =
          typeof error === 'object' && error !== null && 'mayHaveActed' in error && error.mayHaveActed === true;
        const reason = error instanceof Error ? error.message : String(error);
        await this.deps.store.transaction(async (tx) => {
          await tx.wecomContacts.moveGroupSends(claimedIds, 'submitting', unknown ? 'unknown' : 'failed', {
            detail: reason.slice(0, 300),
          });
          await tx.wecomContacts.settleDeliveries(
            claimed.map((r) => r.deliveryId),
            { status: unknown ? 'unknown' : 'failed', reason },
          );
        });
        result.failed += claimed.length;
        this.deps.log.warn({ err: error, staffUserId: first.staffUserId }, 'wecom 群发 task not created');
      }
    }
    return result;
  }

  /** Reads back the results of submitted 群发 tasks into their Delivery rows (get_groupmsg_send_result). */
  async readGroupSendResults(now: Date): Promise<{ sent: number; failed: number; waiting: number }> {
    const result = { sent: 0, failed: 0, waiting: 0 };
    const gateway = this.gateway;
    if (!gateway) return result;
    const repos = this.deps.store.repos;
    const submitted = await repos.wecomContacts.groupSends('submitted', 5000);
    for (const rows of groupedBy(submitted, (row) => [row.msgid, row.staffUserId])) {
      const first = rows[0];
      if (!first?.msgid) continue;
      let outcomes: Map<string, GroupSendOutcome>;
      try {
        const results = await gateway.groupSendResult(first.msgid, first.staffUserId);
        outcomes = new Map(results.map((r) => [r.externalUserId, r.outcome]));
      } catch (error) {
        this.deps.log.warn({ err: error, msgid: first.msgid }, 'wecom 群发 result not read');
        continue;
      }
      const by = (outcome: GroupSendOutcome) =>
        rows.filter((r) => (outcomes.get(r.externalUserId) ?? 'waiting') === outcome);
      const sent = by('sent');
      const refused = [...by('not_friend'), ...by('already_received')];
      result.waiting += by('waiting').length;
      await this.deps.store.transaction(async (tx) => {
        await tx.wecomContacts.moveGroupSends(
          sent.map((r) => r.id),
          'submitted',
          'sent',
        );
        await tx.wecomContacts.settleDeliveries(
          sent.map((r) => r.deliveryId),
          { status: 'sent', sentAt: now },
        );
        for (const outcome of ['not_friend', 'already_received'] as const) {
          const mine = by(outcome);
          await tx.wecomContacts.moveGroupSends(
            mine.map((r) => r.id),
            'submitted',
            'failed',
            { detail: outcome },
          );
          await tx.wecomContacts.settleDeliveries(
            mine.map((r) => r.deliveryId),
            { status: 'failed', reason: outcome },
          );
        }
      });
      result.sent += sent.length;
      result.failed += refused.length;
    }
    return result;
  }

  /** A campaign's 群发 hand-offs by state (what the console shows beside the campaign). */
  async groupSendSummary(campaignId: number) {
    const rows = await this.deps.store.repos.wecomContacts.groupSendsOfCampaign(campaignId);
    const counts: Record<GroupSendStatus, number> = {
      pending: 0,
      submitting: 0,
      submitted: 0,
      sent: 0,
      failed: 0,
      unknown: 0,
    };
    for (const row of rows) counts[row.status]++;
    return { campaignId, tasks: new Set(rows.flatMap((r) => (r.msgid ? [r.msgid] : []))).size, counts };
  }

  private requireGateway(): WecomContactsGateway {
    if (!this.gateway) throw new ConflictError('WeCom 客户联系 is not configured (set WECOM_CONTACT_SECRET)');
    return this.gateway;
  }

  /** A WeCom refusal of an admin action is the caller's to see, not a server error. */
  private async callWecom<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof Error) throw new ConflictError(`WeCom refused: ${error.message}`);
      throw error;
    }
  }
}
