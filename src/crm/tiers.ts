// Membership tiers (普通 / 银卡 / 金卡 / 钻石): thresholds come from config, multipliers and perks live here.
import { Tier, tiers } from '../domain/customer.ts';
import { type Message, msg } from '../kernel/i18n.ts';

export { Tier, tiers };

export const tierInfo: Record<Tier, { label: Message; multiplier: number; perks: Message }> = {
  normal: { label: msg('普通会员', 'Member'), multiplier: 1, perks: msg('消费得积分', 'Earn points on every order') },
  silver: {
    label: msg('银卡会员', 'Silver'),
    multiplier: 1.2,
    perks: msg('积分 1.2 倍', '1.2x points'),
  },
  gold: {
    label: msg('金卡会员', 'Gold'),
    multiplier: 1.5,
    perks: msg('积分 1.5 倍，包邮', '1.5x points, free shipping'),
  },
  diamond: {
    label: msg('钻石会员', 'Diamond'),
    multiplier: 2,
    perks: msg('积分 2 倍，包邮，专属客服优先', '2x points, free shipping, priority service'),
  },
};

/** A tier from loose input (older callers); rows already carry `Tier`. */
export function asTier(value: string): Tier {
  const parsed = Tier.safeParse(value);
  return parsed.success ? parsed.data : 'normal';
}

/** The tier for a 12-month value (points earned or fen spent) given silver/gold/diamond thresholds. */
export function tierFor(value: number, thresholds: number[]): Tier {
  const [silver = Infinity, gold = Infinity, diamond = Infinity] = thresholds;
  if (value >= diamond) return 'diamond';
  if (value >= gold) return 'gold';
  if (value >= silver) return 'silver';
  return 'normal';
}
