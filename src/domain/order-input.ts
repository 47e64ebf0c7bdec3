// What a shop sends to create or change an order (API, CSV import and the console's orders page share
// these). Amounts are integers in fen.
import { z } from 'zod';
import { ChannelName } from './channels.ts';
import { OrderStatus } from './orders.ts';

const fen = z.number().int('amounts are integers in fen').min(0).max(1_000_000_000_00);

export const OrderInput = z.object({
  orderNo: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'order numbers use A-Z, a-z, 0-9, _ and -'),
  customer: z.object({
    channel: ChannelName,
    externalId: z.string().trim().min(1).max(200),
    name: z.string().trim().min(1).max(100).optional(),
    phone: z.string().trim().max(32).optional(),
  }),
  items: z
    .array(
      z.object({
        sku: z.string().trim().min(1).max(64),
        name: z.string().trim().min(1).max(200),
        qty: z.number().int().min(1).max(10_000),
        price: fen,
      }),
    )
    .min(1, 'an order needs at least one item')
    .max(200),
  total: fen,
  status: OrderStatus,
  carrier: z.string().trim().max(64).optional(),
  trackingNo: z.string().trim().max(64).optional(),
  placedAt: z.iso.datetime({ offset: true }).optional(),
  expectedDeliveryAt: z.iso.datetime({ offset: true }).optional(),
});
export type OrderInput = z.infer<typeof OrderInput>;

export const OrderPatch = z
  .object({
    status: OrderStatus.optional(),
    carrier: z.string().trim().max(64).nullable().optional(),
    trackingNo: z.string().trim().max(64).nullable().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type OrderPatch = z.infer<typeof OrderPatch>;
