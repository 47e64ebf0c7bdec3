import { OrderStatus } from '../../domain/orders.ts';
import type { Prisma } from '../../generated/sqlite/client.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Order, OrderEvent, OrderItem } from '../types.ts';

export type OrderWithItems = Order & { items: OrderItem[]; events: OrderEvent[] };

const withItems = { items: { orderBy: { id: 'asc' } }, events: { orderBy: { at: 'asc' } } } as const;
type OrderRow = Prisma.OrderGetPayload<{ include: typeof withItems }>;

/** The one reader of an order with its items and status history (the fast path reuses it). */
export function orderWithItems({ items, events, ...order }: OrderRow): OrderWithItems {
  return { ...rows.order(order), items, events: events.map(rows.orderEvent) };
}

export interface OrderInput {
  orderNo: string;
  customerId: number;
  status: OrderStatus;
  total: number;
  carrier?: string | null;
  trackingNo?: string | null;
  placedAt: Date;
  expectedDeliveryAt?: Date | null;
  source?: string;
  items: Array<{ sku: string; name: string; qty: number; price: number }>;
}

/** One row of the back office's order list: the order, its customer's name and phone, its line count. */
export interface OrderListRow {
  orderNo: string;
  customerId: number;
  customerName: string | null;
  customerPhone: string | null;
  status: OrderStatus;
  total: number;
  itemCount: number;
  carrier: string | null;
  trackingNo: string | null;
  placedAt: Date;
}

export interface OrderListFilter {
  /** Part of the order number, the customer's name (or a channel display name) or phone. */
  query?: string;
  status?: OrderStatus;
  take: number;
  skip: number;
}

/** Timestamp column set when an order enters a status. */
export const statusTimestamp: Partial<Record<OrderStatus, keyof Order>> = {
  paid: 'paidAt',
  shipped: 'shippedAt',
  delivered: 'deliveredAt',
  completed: 'completedAt',
  cancelled: 'cancelledAt',
  refunded: 'refundedAt',
};

export class OrderRepository {
  constructor(private readonly db: PrismaTx) {}

  async byNo(orderNo: string): Promise<OrderWithItems | null> {
    const found = await this.db.order.findUnique({ where: { orderNo }, include: withItems });
    return found && orderWithItems(found);
  }

  async get(id: number): Promise<OrderWithItems | null> {
    const found = await this.db.order.findUnique({ where: { id }, include: withItems });
    return found && orderWithItems(found);
  }

  async forCustomer(customerId: number, take = 10): Promise<OrderWithItems[]> {
    const found = await this.db.order.findMany({
      where: { customerId },
      orderBy: { placedAt: 'desc' },
      take,
      include: withItems,
    });
    return found.map(orderWithItems);
  }

  /** Newest placed first (id breaks ties, so pages never overlap); uses the placedAt and status indexes. */
  async list(filter: OrderListFilter): Promise<OrderListRow[]> {
    const q = filter.query?.trim();
    const found = await this.db.order.findMany({
      where: {
        ...(filter.status ? { status: filter.status } : {}),
        ...(q
          ? {
              OR: [
                { orderNo: { contains: q } },
                { customer: { name: { contains: q } } },
                { customer: { phone: { contains: q } } },
                { customer: { identities: { some: { displayName: { contains: q } } } } },
              ],
            }
          : {}),
      },
      orderBy: [{ placedAt: 'desc' }, { id: 'desc' }],
      take: filter.take,
      skip: filter.skip,
      select: {
        orderNo: true,
        customerId: true,
        status: true,
        total: true,
        carrier: true,
        trackingNo: true,
        placedAt: true,
        _count: { select: { items: true } },
        customer: {
          select: {
            name: true,
            phone: true,
            identities: { select: { displayName: true }, where: { displayName: { not: null } }, take: 1 },
          },
        },
      },
    });
    return found.map((o) => ({
      orderNo: o.orderNo,
      customerId: o.customerId,
      customerName: o.customer.name ?? o.customer.identities[0]?.displayName ?? null,
      customerPhone: o.customer.phone,
      status: OrderStatus.parse(o.status),
      total: o.total,
      itemCount: o._count.items,
      carrier: o.carrier,
      trackingNo: o.trackingNo,
      placedAt: o.placedAt,
    }));
  }

  async create(input: OrderInput, at: Date): Promise<OrderWithItems> {
    const { items, ...order } = input;
    const stamp = statusTimestamp[input.status];
    const created = await this.db.order.create({
      data: {
        ...order,
        ...(stamp ? { [stamp]: at } : {}),
        items: { create: items },
        events: { create: { status: input.status, at } },
      },
    });
    const full = await this.get(created.id);
    if (!full) throw new Error(`order ${input.orderNo} vanished after create`);
    return full;
  }

  async replace(id: number, input: OrderInput): Promise<void> {
    const { items, orderNo: _orderNo, ...order } = input;
    await this.db.orderItem.deleteMany({ where: { orderId: id } });
    await this.db.order.update({ where: { id }, data: { ...order, items: { create: items } } });
  }

  async update(
    id: number,
    patch: { status?: OrderStatus; carrier?: string | null; trackingNo?: string | null; refundedAmount?: number },
    at: Date,
    note?: string,
  ): Promise<void> {
    const stamp = patch.status ? statusTimestamp[patch.status] : undefined;
    await this.db.order.update({ where: { id }, data: { ...patch, ...(stamp ? { [stamp]: at } : {}) } });
    if (patch.status)
      await this.db.orderEvent.create({ data: { orderId: id, status: patch.status, at, note: note ?? null } });
  }
}
