// The customer vocabulary: membership tiers, lifecycle stages, tag sources, churn reasons.
import { z } from 'zod';

export const tiers = ['normal', 'silver', 'gold', 'diamond'] as const;
export const Tier = z.enum(tiers);
export type Tier = z.infer<typeof Tier>;

export const lifecycleStages = ['prospect', 'new', 'active', 'dormant', 'churned'] as const;
export const LifecycleStage = z.enum(lifecycleStages);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

/** Who put a tag on a profile. */
export const TagSource = z.enum(['staff', 'interest', 'system', 'import']);
export type TagSource = z.infer<typeof TagSource>;

/** Why analytics rates a customer at risk of churning. */
export const ChurnReasonCode = z.enum([
  'overdue',
  'lapsed',
  'silent',
  'low_csat',
  'complaint',
  'single_purchase',
  'wecom_lost',
]);
export type ChurnReasonCode = z.infer<typeof ChurnReasonCode>;

/** Every interest tag starts with this. */
export const INTEREST_TAG_PREFIX = 'interest:';

/** The tag a pre-sale question about a product leaves on the profile (segments target it). */
export function interestTag(sku: string): string {
  return `${INTEREST_TAG_PREFIX}${sku}`;
}

/** How a customer's `locale` was chosen: their explicit English/中文 switch, or consistent use. */
export const LocaleSource = z.enum(['switch', 'use']);
export type LocaleSource = z.infer<typeof LocaleSource>;
