// A customer's personal data as PIPL rights need it: everything stored about one person (export),
// and removing it while the shop keeps its numbers (erasure). Amounts, statuses and times stay, so
// revenue, points totals and reports still add up; words, names, numbers and chat ids go.
import type { PrismaTx } from '../client.ts';

/** What replaces erased free text (columns that may not be empty). */
export const ERASED = '[erased]';

export class PersonalDataRepository {
  constructor(private readonly db: PrismaTx) {}

  /** Every row about the customer, oldest first. */
  async everything(customerId: number) {
    const db = this.db;
    const byCustomer = { where: { customerId }, orderBy: { id: 'asc' as const } };
    const [customer, identities, tags, notes, interactions, orders, cases, surveys, pointsLedger, redemptions] =
      await Promise.all([
        db.customer.findUnique({ where: { id: customerId } }),
        db.identity.findMany(byCustomer),
        db.customerTag.findMany({ where: { customerId }, orderBy: { createdAt: 'asc' } }),
        db.customerNote.findMany(byCustomer),
        db.interaction.findMany(byCustomer),
        db.order.findMany({ ...byCustomer, include: { items: true, events: true } }),
        db.case.findMany({ ...byCustomer, include: { notes: true } }),
        db.surveyResponse.findMany({ ...byCustomer, include: { answers: true, survey: { select: { key: true } } } }),
        db.pointsEntry.findMany(byCustomer),
        db.redemption.findMany(byCustomer),
      ]);
    return { customer, identities, tags, notes, interactions, orders, cases, surveys, pointsLedger, redemptions };
  }

  /**
   * Removes the customer's personal data in place. Identities are deleted, so the same WeChat,
   * Telegram or webchat id arriving later is a new customer with an empty thread.
   */
  async erase(customerId: number, at: Date): Promise<void> {
    const db = this.db;
    const identities = await db.identity.findMany({
      where: { customerId },
      select: { channel: true, externalId: true },
    });
    const placeholderChat = `erased:${customerId}`;
    await db.customer.update({
      where: { id: customerId },
      data: {
        name: null,
        phone: null,
        email: null,
        birthday: null,
        attributes: {},
        referralCode: null,
        churnReasons: {},
        marketingOptIn: false,
        marketingOptOutAt: at,
        orderNotifications: false,
        erasedAt: at,
      },
    });
    await db.identity.deleteMany({ where: { customerId } });
    // WeCom 客户联系: the follow relations and any 群发 hand-off still holding the external_userid.
    await db.wecomContact.deleteMany({ where: { customerId } });
    const deliveries = await db.delivery.findMany({ where: { customerId }, select: { id: true } });
    await db.wecomGroupSend.deleteMany({ where: { deliveryId: { in: deliveries.map((d) => d.id) } } });
    await db.chat.updateMany({ where: { kind: 'private', members: { some: { customerId } } }, data: { title: null } });
    await db.chatMember.deleteMany({ where: { customerId } });
    await db.customerTag.deleteMany({ where: { customerId } });
    await db.customerNote.deleteMany({ where: { customerId } });
    await db.interaction.updateMany({ where: { customerId }, data: { text: null, payload: {} } });
    // Replies and notifications: their words and the chat id they went to; queued ones are never sent.
    const outbox = {
      OR: [
        { customerId },
        ...identities.map((identity) => ({ channel: identity.channel, chatExternalId: identity.externalId })),
      ],
    };
    await db.outboxMessage.updateMany({
      where: { AND: [outbox, { status: { in: ['queued', 'sending'] } }] },
      data: { status: 'failed', error: 'customer erased' },
    });
    await db.outboxMessage.updateMany({
      where: outbox,
      data: { text: ERASED, buttons: [], meta: {}, chatExternalId: placeholderChat, customerId },
    });
    await db.delivery.updateMany({ where: { customerId }, data: { target: placeholderChat } });
    await db.delivery.updateMany({
      where: { customerId, status: { in: ['queued', 'sending'] } },
      data: { status: 'skipped', reason: 'erased' },
    });
    await db.case.updateMany({
      where: { customerId },
      data: { reason: null, description: null, photoRef: null, data: {} },
    });
    await db.caseNote.updateMany({ where: { case: { customerId } }, data: { text: ERASED } });
    // Scores stay for the shop's CSAT/NPS figures; the customer's own words go.
    await db.surveyAnswer.updateMany({ where: { response: { customerId }, score: null }, data: { value: ERASED } });
    await db.surveyResponse.updateMany({ where: { customerId }, data: { chatExternalId: null } });
    await db.pointsEntry.updateMany({ where: { customerId }, data: { reason: ERASED } });
    await db.auditEntry.updateMany({
      where: { entityType: 'customer', entityId: String(customerId) },
      data: { details: {} },
    });
  }
}
