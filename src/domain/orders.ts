// Order vocabulary: pending_payment → paid → shipped → delivered → completed, or cancelled / refunded.
import { z } from 'zod';

export const orderStatuses = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunded',
] as const;
export const OrderStatus = z.enum(orderStatuses);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** Orders that never became a sale: left out of totals, segments and campaign attribution. */
export const uncountedOrderStatuses = ['cancelled', 'pending_payment'] as const satisfies readonly OrderStatus[];
