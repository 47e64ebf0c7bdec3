import type { OrderStatus } from '../../domain/orders.ts';
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
