// Manual points adjustments and the rewards catalogue as staff edit them. Shared by the API and the console.
import { z } from 'zod';
import { RewardKind } from './loyalty.ts';

export const AdjustInput = z
  .object({
    amount: z
      .number()
      .int()
      .refine((n) => n !== 0, 'amount must not be 0')
      .refine((n) => Math.abs(n) <= 10_000_000, 'amount too large'),
    reason: z.string().trim().min(2, 'a reason is required').max(500),
    idempotencyKey: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type AdjustInput = z.infer<typeof AdjustInput>;

export const RewardInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(1000).optional(),
    kind: RewardKind,
    cost: z.number().int().min(1).max(10_000_000),
    stock: z.number().int().min(0).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type RewardInput = z.infer<typeof RewardInput>;

export const RewardPatch = RewardInput.partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type RewardPatch = z.infer<typeof RewardPatch>;

export const CodesInput = z.object({ codes: z.array(z.string().trim().min(1).max(64)).min(1).max(10_000) }).strict();
