// Orders ingested from the shop (API, CSV): upsert by order number, status timeline, and a notice to
// the customer when the status changes.
import type { OrderListFilter, OrderListRow, OrderWithItems } from '../db/repositories/orders.ts';
import type { Repositories } from '../db/store.ts';
import type { Actor } from '../domain/audit.ts';
import { NotFoundError } from '../domain/errors.ts';
import { OrderInput, OrderPatch } from '../domain/order-input.ts';
import type { OrderStatus } from '../domain/orders.ts';
import { formatMoney, interpolate, type Locale, msg } from '../kernel/i18n.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { requireAdminActor } from './customer-access.ts';
import type { MessagingService } from './messaging.ts';
import { recordEvent } from './profile-events.ts';

export { OrderInput, OrderPatch };

const statusText: Record<OrderStatus, { 'zh-CN': string; en: string }> = {
  pending_payment: msg('待付款', 'awaiting payment'),
  paid: msg('已付款', 'paid'),
  shipped: msg('已发货', 'shipped'),
  delivered: msg('已签收', 'delivered'),
  completed: msg('已完成', 'completed'),
  cancelled: msg('已取消', 'cancelled'),
  refunded: msg('已退款', 'refunded'),
};

export function orderStatusLabel(status: OrderStatus, locale: Locale): string {
  return statusText[status][locale];
}

const notice = msg('📦 你的订单 {orderNo} {status}。{extra}', '📦 Your order {orderNo} is now {status}. {extra}');
const trackingLine = msg('{carrier} 运单号：{trackingNo}', '{carrier} tracking number: {trackingNo}');

/** A status change, seen inside the transaction that made it (listeners' writes commit with it). */
export interface OrderStatusChange {
  order: OrderWithItems;
  from: OrderStatus | null;
  to: OrderStatus;
  at: Date;
}
export type OrderStatusListener = (change: OrderStatusChange) => Promise<void>;

/** Statuses a customer hears about on their own initiative. */
const notifyOn = new Set<OrderStatus>(['shipped', 'delivered', 'refunded', 'cancelled']);

export class OrderService {
  private readonly listeners: OrderStatusListener[] = [];

  constructor(
    private readonly deps: ServiceDeps,
    private readonly messaging: MessagingService,
  ) {}

  /**
   * Runs `listener` on every status change inside the order's transaction, so what it records
   * (points, scheduled surveys) commits or rolls back with the change itself.
   */
  onStatusChange(listener: OrderStatusListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  private async statusChanged(order: OrderWithItems, from: OrderStatus | null, at: Date): Promise<void> {
    for (const listener of this.listeners) await listener({ order, from, to: order.status, at });
  }

  async get(orderNo: string): Promise<OrderWithItems> {
    const order = await this.deps.store.repos.orders.byNo(orderNo);
    if (!order) throw new NotFoundError(`order ${orderNo}`);
    return order;
  }

  /**
   * One page of all orders, newest placed first, optionally only one status or matching `query` in the
   * order number or the customer's name or phone. Admins only: an agent's scope is their conversations.
   */
  list(filter: OrderListFilter, actor: Actor): Promise<OrderListRow[]> {
    requireAdminActor(actor, 'listing and searching orders');
    return this.deps.store.repos.orders.list(filter);
  }

  /** The customer's recent orders, newest first. */
  recentFor(customerId: number, take = 5): Promise<OrderWithItems[]> {
    return this.deps.store.reads.recentOrders(customerId, take);
  }

  /**
   * The order only if it belongs to this customer: an order number of someone else reads exactly like
   * an unknown one, so order numbers cannot be probed.
   */
  async ownedBy(customerId: number, orderNo: string): Promise<OrderWithItems | undefined> {
    const order =
      (await this.deps.store.repos.orders.byNo(orderNo)) ??
      (await this.deps.store.repos.orders.byNo(orderNo.toUpperCase()));
    return order && order.customerId === customerId ? order : undefined;
  }

  /** Creates or replaces the order with this number. Status changes behave as in `update`. */
  async upsert(input: OrderInput, actor: Actor): Promise<OrderWithItems> {
    const data = OrderInput.parse(input);
    const now = this.deps.clock.now();
    const { order, statusChanged } = await this.deps.store.transaction(async (repos) => {
      const customerId = await this.resolveCustomer(repos, data.customer);
      const existing = await repos.orders.byNo(data.orderNo);
      const fields = {
        orderNo: data.orderNo,
        customerId,
        status: data.status,
        total: data.total,
        carrier: data.carrier ?? null,
        trackingNo: data.trackingNo ?? null,
        placedAt: data.placedAt ? new Date(data.placedAt) : (existing?.placedAt ?? now),
        expectedDeliveryAt: data.expectedDeliveryAt ? new Date(data.expectedDeliveryAt) : null,
        items: data.items,
      };
      let changed = false;
      if (existing) {
        const { status: _status, ...rest } = fields;
        await repos.orders.replace(existing.id, { ...rest, status: existing.status });
        if (existing.status !== data.status) {
          await repos.orders.update(existing.id, { status: data.status }, now);
          changed = true;
        }
      } else {
        await repos.orders.create(fields, now);
        changed = true;
      }
      await repos.customers.refreshTotals(customerId);
      const order = await repos.orders.byNo(data.orderNo);
      if (!order) throw new NotFoundError(`order ${data.orderNo}`);
      await this.logStatus(repos, order, existing ? 'order.updated' : 'order.created', actor);
      if (changed) await this.statusChanged(order, existing?.status ?? null, now);
      return { order, statusChanged: changed && existing !== null };
    });
    if (statusChanged) await this.notify(order);
    return order;
  }

  async update(orderNo: string, input: OrderPatch, actor: Actor): Promise<OrderWithItems> {
    const patch = OrderPatch.parse(input);
    const now = this.deps.clock.now();
    const { order, statusChanged } = await this.deps.store.transaction(async (repos) => {
      const existing = await repos.orders.byNo(orderNo);
      if (!existing) throw new NotFoundError(`order ${orderNo}`);
      const statusChanged = patch.status !== undefined && patch.status !== existing.status;
      await repos.orders.update(
        existing.id,
        {
          ...(statusChanged ? { status: patch.status } : {}),
          ...(patch.carrier !== undefined ? { carrier: patch.carrier } : {}),
          ...(patch.trackingNo !== undefined ? { trackingNo: patch.trackingNo } : {}),
          ...(patch.status === 'refunded' ? { refundedAmount: existing.total } : {}),
        },
        now,
      );
      await repos.customers.refreshTotals(existing.customerId);
      const order = await repos.orders.byNo(orderNo);
      if (!order) throw new NotFoundError(`order ${orderNo}`);
      await this.logStatus(repos, order, 'order.updated', actor);
      if (statusChanged) await this.statusChanged(order, existing.status, now);
      return { order, statusChanged };
    });
    if (statusChanged) await this.notify(order);
    return order;
  }

  private async resolveCustomer(repos: Repositories, input: OrderInput['customer']): Promise<number> {
    const found = await repos.customers.findIdentity(input.channel, input.externalId);
    const identity =
      found ??
      (
        await repos.customers.createWithIdentity({
          channel: input.channel,
          externalId: input.externalId,
          ...(input.name ? { displayName: input.name } : {}),
          at: this.deps.clock.now(),
        })
      ).identity;
    let customer = identity.customer;
    while (customer.mergedIntoId !== null) {
      const next = await repos.customers.get(customer.mergedIntoId);
      if (!next) break;
      customer = next;
    }
    // A phone the shop's own system sends is verified (merge suggestions match on it); one the customer
    // typed becomes verified when the shop confirms the same number.
    const phoneFromShop = input.phone && (!customer.phone || customer.phone === input.phone);
    const patch = {
      ...(input.name && !customer.name ? { name: input.name } : {}),
      ...(input.phone && !customer.phone ? { phone: input.phone } : {}),
      ...(phoneFromShop && !customer.phoneVerifiedAt ? { phoneVerifiedAt: this.deps.clock.now() } : {}),
    };
    if (Object.keys(patch).length > 0) await repos.customers.update(customer.id, patch);
    return customer.id;
  }

  private async logStatus(
    repos: Repositories,
    order: OrderWithItems,
    type: 'order.created' | 'order.updated',
    actor: Actor,
  ) {
    const now = this.deps.clock.now();
    await recordEvent(repos, now, {
      customerId: order.customerId,
      text: `${order.orderNo}: ${order.status}`,
      event: { type, orderNo: order.orderNo, status: order.status, total: order.total },
    });
    await audit(repos, now, {
      actor,
      action: type,
      entity: 'order',
      entityId: order.orderNo,
      details: { status: order.status },
    });
  }

  /** Tells the customer about a status change, unless they switched order notices off. */
  private async notify(order: OrderWithItems): Promise<void> {
    const status = order.status;
    if (!notifyOn.has(status)) return;
    const customer = await this.deps.store.repos.customers.get(order.customerId);
    if (!customer?.orderNotifications) return;
    await this.messaging.sendToCustomer(
      order.customerId,
      (locale) => ({
        text: interpolate(notice[locale], {
          orderNo: order.orderNo,
          status: statusText[status][locale],
          extra: order.trackingNo
            ? interpolate(trackingLine[locale], { carrier: order.carrier ?? '', trackingNo: order.trackingNo })
            : status === 'refunded'
              ? formatMoney(order.refundedAmount)
              : '',
        }).trim(),
        buttons: [{ label: locale === 'en' ? 'Order details' : '查看订单', data: `orders:${order.orderNo}` }],
      }),
      { purpose: 'notification' },
    );
  }
}
