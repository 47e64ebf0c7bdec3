// The after-sale policy (docs/commerce.md "Policy rules"): which orders take an after-sale request
// at all, when a return or exchange is still possible (delivered, within RETURN_WINDOW_DAYS — 七天无理由 —
// and a returnable product), and that one customer files one request per type, order and item.
// The after-sale flow asks it and words the answer; the rules live here, not in the conversation.
import type { z } from 'zod';
import type { OrderWithItems } from '../db/repositories/orders.ts';
import type { Product } from '../db/types.ts';
import { CaseType } from '../domain/cases.ts';
import { DAY } from '../kernel/clock.ts';

/** The case types a customer files from the after-sale flow (complaints and recovery cases open elsewhere). */
export const AfterSaleType = CaseType.extract(['return', 'exchange', 'refund', 'missing', 'damaged', 'invoice']);
export type AfterSaleType = z.infer<typeof AfterSaleType>;

/** Why a request is not allowed; the flow explains each to the customer. */
export type PolicyRefusal =
  /** The order's status takes no after-sale request (awaiting payment, cancelled, refunded). */
  | { reason: 'status' }
  /** Not delivered yet: returns and exchanges need delivery, missing/damaged items need shipping. */
  | { reason: 'not_delivered' }
  /** Delivered `days` ago, past the `window`-day no-reason window. */
  | { reason: 'window_passed'; days: number; window: number }
  /** The item is excluded from no-reason returns (underwear, gift cards…). */
  | { reason: 'not_returnable'; itemName: string };

export interface AfterSaleRequest {
  type: AfterSaleType;
  order: OrderWithItems;
  /** The order item the request is about (none for invoices). */
  itemId: number | undefined;
  at: Date;
}

/** Where the policy finds whether a product is returnable (the catalogue). */
export interface ProductLookup {
  product(sku: string): Promise<Product | undefined>;
}

/** Order statuses that take any after-sale request. */
const requestableStatuses: ReadonlySet<string> = new Set(['paid', 'shipped', 'delivered', 'completed']);

export class ReturnPolicy {
  constructor(
    private readonly options: {
      /** RETURN_WINDOW_DAYS: days after delivery during which a return or exchange needs no reason. */
      windowDays: number;
      products: ProductLookup;
    },
  ) {}

  get windowDays(): number {
    return this.options.windowDays;
  }

  /** Whether the order takes an after-sale request at all (the orders a customer may pick). */
  takesRequests(order: Pick<OrderWithItems, 'status'>): boolean {
    return requestableStatuses.has(order.status);
  }

  /** Why `request` is not allowed, or undefined when it is. */
  async refusal(request: AfterSaleRequest): Promise<PolicyRefusal | undefined> {
    const { type, order } = request;
    if (!this.takesRequests(order)) return { reason: 'status' };
    if (type === 'return' || type === 'exchange') {
      if (!order.deliveredAt && order.status !== 'completed') return { reason: 'not_delivered' };
      const deliveredAt = order.deliveredAt ?? order.completedAt ?? order.placedAt;
      const days = Math.floor((request.at.getTime() - deliveredAt.getTime()) / DAY);
      if (days > this.options.windowDays) return { reason: 'window_passed', days, window: this.options.windowDays };
      const item = order.items.find((i) => i.id === request.itemId);
      const product = item ? await this.options.products.product(item.sku) : undefined;
      if (item && product && !product.returnable) return { reason: 'not_returnable', itemName: item.name };
    }
    if ((type === 'missing' || type === 'damaged') && order.status === 'paid') return { reason: 'not_delivered' };
    return undefined;
  }

  /** One case per customer, type, order and item: a repeated request finds the first case by this key. */
  dedupeKey(customerId: number, type: AfterSaleType, orderNo: string, itemId: number | undefined): string {
    return `aftersale:${customerId}:${type}:${orderNo}:${itemId ?? 0}`;
  }
}
