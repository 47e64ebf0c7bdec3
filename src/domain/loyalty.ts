// Loyalty vocabulary: the points ledger, rewards and redemptions.
import { z } from 'zod';

/** Signed ledger entries: earn > 0; redeem, expire and reverse < 0; adjust either way. */
export const PointsEntryKind = z.enum(['earn', 'redeem', 'expire', 'adjust', 'reverse']);
export type PointsEntryKind = z.infer<typeof PointsEntryKind>;

export const RewardKind = z.enum(['coupon', 'gift']);
export type RewardKind = z.infer<typeof RewardKind>;

export const RedemptionStatus = z.enum(['completed', 'cancelled']);
export type RedemptionStatus = z.infer<typeof RedemptionStatus>;
