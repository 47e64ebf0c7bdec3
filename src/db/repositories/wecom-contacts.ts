// WeCom 客户联系 rows: contact ways (渠道活码), follow relations and 群发 hand-offs (src/crm/wecom-contacts.ts
// holds the rules). Vocabulary columns are parsed where they are read.
import { z } from 'zod';
import { ContactLossReason, ContactSource, GroupSendStatus, WecomContactStatus } from '../../domain/wecom-contacts.ts';
import type { PrismaTx } from '../client.ts';

const StaffUserIds = z.array(z.string());

export interface ContactWayRow {
  id: number;
  name: string;
  source: ContactSource;
  state: string;
  configId: string;
  qrCode: string;
  staffUserIds: string[];
  welcomeText: string | null;
  createdAt: Date;
}

export interface ContactRow {
  id: number;
  customerId: number;
  externalUserId: string;
  staffUserId: string;
  state: string | null;
  contactWayId: number | null;
  status: WecomContactStatus;
  lostReason: ContactLossReason | null;
  addedAt: Date;
  lostAt: Date | null;
  welcomeSentAt: Date | null;
}

export interface GroupSendRow {
  id: number;
  deliveryId: number;
  campaignId: number;
  staffUserId: string;
  externalUserId: string;
  text: string;
  status: GroupSendStatus;
  msgid: string | null;
  submittedAt: Date | null;
}

type RawWay = Omit<ContactWayRow, 'source' | 'staffUserIds'> & { source: string; staffUserIds: unknown };
type RawContact = Omit<ContactRow, 'status' | 'lostReason'> & { status: string; lostReason: string | null };
type RawGroupSend = Omit<GroupSendRow, 'status'> & { status: string };

const way = (row: RawWay): ContactWayRow => ({
  ...row,
  source: ContactSource.parse(row.source),
  staffUserIds: StaffUserIds.parse(row.staffUserIds),
});
const contact = (row: RawContact): ContactRow => ({
  ...row,
  status: WecomContactStatus.parse(row.status),
  lostReason: row.lostReason === null ? null : ContactLossReason.parse(row.lostReason),
});
const groupSend = (row: RawGroupSend): GroupSendRow => ({
  id: row.id,
  deliveryId: row.deliveryId,
  campaignId: row.campaignId,
  staffUserId: row.staffUserId,
  externalUserId: row.externalUserId,
  text: row.text,
  status: GroupSendStatus.parse(row.status),
  msgid: row.msgid,
  submittedAt: row.submittedAt,
});

/** Orders that count as revenue (not cancelled, not refunded in full). */
const COUNTED_ORDER = { status: { notIn: ['cancelled', 'refunded'] } };

export class WecomContactRepository {
  constructor(private readonly db: PrismaTx) {}

  async createWay(input: Omit<ContactWayRow, 'id'>): Promise<ContactWayRow> {
    return way(await this.db.wecomContactWay.create({ data: input }));
  }

  async ways(): Promise<ContactWayRow[]> {
    return (await this.db.wecomContactWay.findMany({ orderBy: { id: 'asc' } })).map(way);
  }

  async wayByState(state: string): Promise<ContactWayRow | null> {
    const found = await this.db.wecomContactWay.findUnique({ where: { state } });
    return found && way(found);
  }

  async contact(externalUserId: string, staffUserId: string): Promise<ContactRow | null> {
    const found = await this.db.wecomContact.findUnique({
      where: { externalUserId_staffUserId: { externalUserId, staffUserId } },
    });
    return found && contact(found);
  }

  /** A new follow relation, or an old one live again (a customer who deleted and re-added). */
  async upsertActive(input: {
    customerId: number;
    externalUserId: string;
    staffUserId: string;
    state: string | null;
    contactWayId: number | null;
    at: Date;
  }): Promise<ContactRow> {
    const { at, ...fields } = input;
    const live = { ...fields, status: 'active', lostReason: null, lostAt: null, addedAt: at, welcomeSentAt: null };
    return contact(
      await this.db.wecomContact.upsert({
        where: { externalUserId_staffUserId: { externalUserId: input.externalUserId, staffUserId: input.staffUserId } },
        create: live,
        update: live,
      }),
    );
  }

  async markWelcomed(id: number, at: Date): Promise<void> {
    await this.db.wecomContact.update({ where: { id }, data: { welcomeSentAt: at } });
  }

  async markLost(id: number, reason: ContactLossReason, at: Date): Promise<void> {
    await this.db.wecomContact.update({ where: { id }, data: { status: 'lost', lostReason: reason, lostAt: at } });
  }

  async contactsOf(customerId: number): Promise<ContactRow[]> {
    return (await this.db.wecomContact.findMany({ where: { customerId }, orderBy: { id: 'asc' } })).map(contact);
  }

  /** Live follow relations of these customers (all of them when `customerIds` is undefined), a page at a time. */
  async activeContacts(customerIds: number[] | undefined, afterId: number, take: number): Promise<ContactRow[]> {
    const rows = await this.db.wecomContact.findMany({
      where: { status: 'active', id: { gt: afterId }, ...(customerIds ? { customerId: { in: customerIds } } : {}) },
      orderBy: { id: 'asc' },
      take,
    });
    return rows.map(contact);
  }

  /**
   * Per contact way: contacts (customers it brought first), how many of them ordered for the first
   * time after being added, and the revenue of their orders placed after being added.
   */
  async sourceReport(): Promise<
    Array<{ contactWayId: number; contacts: number; firstOrders: number; revenue: number }>
  > {
    const relations = await this.db.wecomContact.findMany({
      where: { contactWayId: { not: null } },
      orderBy: [{ addedAt: 'asc' }, { id: 'asc' }],
      select: { customerId: true, contactWayId: true, addedAt: true },
    });
    // A customer belongs to the first code they came through.
    const firstWay = new Map<number, { contactWayId: number; addedAt: Date }>();
    for (const r of relations) {
      if (r.contactWayId !== null && !firstWay.has(r.customerId)) {
        firstWay.set(r.customerId, { contactWayId: r.contactWayId, addedAt: r.addedAt });
      }
    }
    const customerIds = [...firstWay.keys()];
    const orders = customerIds.length
      ? await this.db.order.findMany({
          where: { customerId: { in: customerIds }, ...COUNTED_ORDER },
          select: { customerId: true, placedAt: true, total: true, refundedAmount: true },
        })
      : [];
    const customers = customerIds.length
      ? await this.db.customer.findMany({
          where: { id: { in: customerIds } },
          select: { id: true, firstOrderAt: true },
        })
      : [];
    const report = new Map<number, { contactWayId: number; contacts: number; firstOrders: number; revenue: number }>();
    const row = (id: number) => {
      let found = report.get(id);
      if (!found) {
        found = { contactWayId: id, contacts: 0, firstOrders: 0, revenue: 0 };
        report.set(id, found);
      }
      return found;
    };
    for (const [, first] of firstWay) row(first.contactWayId).contacts++;
    for (const customer of customers) {
      const first = firstWay.get(customer.id);
      if (first && customer.firstOrderAt && customer.firstOrderAt >= first.addedAt)
        row(first.contactWayId).firstOrders++;
    }
    for (const order of orders) {
      const first = firstWay.get(order.customerId);
      if (first && order.placedAt >= first.addedAt)
        row(first.contactWayId).revenue += order.total - order.refundedAmount;
    }
    return [...report.values()];
  }

  /** The newest live follow relation of each of these external contacts. */
  async activeByExternal(externalUserIds: string[]): Promise<Map<string, ContactRow>> {
    if (externalUserIds.length === 0) return new Map();
    const rows = await this.db.wecomContact.findMany({
      where: { status: 'active', externalUserId: { in: externalUserIds } },
      orderBy: [{ addedAt: 'asc' }, { id: 'asc' }],
    });
    return new Map(rows.map((row) => [row.externalUserId, contact(row)]));
  }

  // 群发 hand-offs

  async addGroupSends(rows: Array<Omit<GroupSendRow, 'id' | 'status' | 'msgid' | 'submittedAt'>>, at: Date) {
    if (rows.length === 0) return;
    await this.db.wecomGroupSend.createMany({ data: rows.map((r) => ({ ...r, createdAt: at })) });
  }

  /** Deliveries handed to 群发 tasks: `sending` without an outbox row (the coupon claimed for them kept). */
  async markDeliveriesHanded(handed: Array<{ deliveryId: number; couponCode: string | null }>): Promise<void> {
    if (handed.length === 0) return;
    await this.db.delivery.updateMany({
      where: { id: { in: handed.map((h) => h.deliveryId) }, status: 'queued' },
      data: { status: 'sending' },
    });
    for (const h of handed) {
      if (h.couponCode)
        await this.db.delivery.update({ where: { id: h.deliveryId }, data: { couponCode: h.couponCode } });
    }
  }

  /** The final state of deliveries handed to 群发 tasks (only those still `sending`). */
  async settleDeliveries(
    deliveryIds: number[],
    outcome: { status: 'sent'; sentAt: Date } | { status: 'failed' | 'unknown'; reason: string },
  ): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.db.delivery.updateMany({
      where: { id: { in: deliveryIds }, status: 'sending', outboxId: null },
      data:
        outcome.status === 'sent'
          ? { status: 'sent', sentAt: outcome.sentAt, reason: null }
          : { status: outcome.status, reason: outcome.reason.slice(0, 300) },
    });
  }

  /** Rows claimed by one submitter (`detail` holds its claim key while `submitting`). */
  async claimedGroupSends(claim: string): Promise<GroupSendRow[]> {
    const rows = await this.db.wecomGroupSend.findMany({
      where: { status: 'submitting', detail: claim },
      orderBy: { id: 'asc' },
    });
    return rows.map(groupSend);
  }

  async groupSendsOfCampaign(campaignId: number): Promise<GroupSendRow[]> {
    const rows = await this.db.wecomGroupSend.findMany({ where: { campaignId }, orderBy: { id: 'asc' } });
    return rows.map(groupSend);
  }

  async groupSends(status: GroupSendStatus, take: number): Promise<GroupSendRow[]> {
    const rows = await this.db.wecomGroupSend.findMany({ where: { status }, orderBy: { id: 'asc' }, take });
    return rows.map(groupSend);
  }

  /** Moves rows from `from` to `to`; returns how many moved (a claim when another instance races). */
  async moveGroupSends(
    ids: number[],
    from: GroupSendStatus,
    to: GroupSendStatus,
    extra: { msgid?: string; submittedAt?: Date; detail?: string | null } = {},
  ): Promise<number> {
    const { count } = await this.db.wecomGroupSend.updateMany({
      where: { id: { in: ids }, status: from },
      data: { status: to, ...extra },
    });
    return count;
  }
}
