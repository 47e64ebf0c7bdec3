// The customer vocabulary: membership tiers and lifecycle stages.
import { z } from 'zod';

export const tiers = ['normal', 'silver', 'gold', 'diamond'] as const;
export const Tier = z.enum(tiers);
export type Tier = z.infer<typeof Tier>;

export const lifecycleStages = ['prospect', 'new', 'active', 'dormant', 'churned'] as const;
export const LifecycleStage = z.enum(lifecycleStages);
export type LifecycleStage = z.infer<typeof LifecycleStage>;
