// The back office's order list as GET /api/orders returns it (admin). Shared with the console's
// orders page, which decodes it with the same schema.
import { z } from 'zod';
import { OrderStatus } from './vocabulary.ts';
import { Id, IsoDate } from './wire.ts';

export const OrderListQuery = z
  .object({
    q: z.string().max(100).optional(),
    status: OrderStatus.optional(),
    take: z.coerce.number().int().min(1).max(200).default(50),
    skip: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const OrderSummary = z.object({
  orderNo: z.string(),
  customer: z.object({ id: Id, name: z.string().nullable(), phone: z.string().nullable() }),
  status: OrderStatus,
  /** In fen. */
  total: z.number().int(),
  /** Order lines. */
  itemCount: z.number().int(),
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  placedAt: IsoDate,
});
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderListResponse = z.object({ orders: z.array(OrderSummary) });
export type OrderListResponse = z.infer<typeof OrderListResponse>;
