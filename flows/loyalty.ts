// 积分 / points: balance, tier, expiring points and affordable rewards as buttons; redeem with a
// confirmation; daily check-in (签到); the customer's referral code. Referral deep links
// (`/start loyalty_ref-<CODE>`) arrive here as the action `ref`.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { checkInPattern, loyaltyPatterns, pointsHistoryPattern } from '../src/ai/phrases.ts';
import { type ActionOf, action, defineActions, wireInt } from '../src/core/actions.ts';
import { type CommandResult, defineCommand, type FlowContext } from '../src/core/flow.ts';
import { pointsReasonText } from '../src/crm/points-reasons.ts';
import { asTier, tierInfo } from '../src/crm/tiers.ts';
import type { Reply } from '../src/domain/messages.ts';
import { formatDate, msg } from '../src/kernel/i18n.ts';

const text = {
  overview: msg(
    '🎁 我的积分\n等级：{tier}（{perks}）\n可用积分：{balance}',
    '🎁 My points\nTier: {tier} ({perks})\nBalance: {balance} points',
  ),
  expiring: msg('⏰ {points} 积分将于 {date} 过期', '⏰ {points} points expire on {date}'),
  canRedeem: msg('可兑换：', 'You can redeem:'),
  nothingYet: msg('暂时没有可兑换的礼品，继续加油！', 'Nothing to redeem yet. Keep collecting!'),
  checkInButton: msg('📅 签到', '📅 Check in'),
  inviteButton: msg('🤝 邀请好友', '🤝 Invite friends'),
  historyButton: msg('📜 积分明细', '📜 History'),
  checkedIn: msg(
    '✅ 签到成功！连续签到 {streak} 天，获得 {points} 积分。当前积分：{balance}',
    '✅ Checked in! {streak}-day streak, +{points} points. Balance: {balance}',
  ),
  alreadyCheckedIn: msg(
    '今天已经签到过了（连续 {streak} 天），明天再来吧！',
    'You already checked in today ({streak}-day streak). See you tomorrow!',
  ),
  confirm: msg('确认用 {cost} 积分兑换「{name}」吗？', 'Redeem "{name}" for {cost} points?'),
  yes: msg('✅ 确认兑换', '✅ Redeem'),
  no: msg('取消', 'Cancel'),
  cancelled: msg('已取消，积分未变动。', 'Cancelled. Your points are unchanged.'),
  redeemed: msg('🎉 兑换成功！「{name}」', '🎉 Redeemed: "{name}"'),
  code: msg('券码：{code}', 'Code: {code}'),
  balanceLeft: msg('剩余积分：{balance}', 'Points left: {balance}'),
  insufficient: msg(
    '积分不足：需要 {cost}，当前 {balance}。积分未变动。',
    'Not enough points: {cost} needed, you have {balance}. Nothing was deducted.',
  ),
  outOfStock: msg('抱歉，「{name}」已兑完。积分未变动。', 'Sorry, "{name}" is out of stock. Nothing was deducted.'),
  unavailable: msg('这个礼品暂不可兑换。', 'This reward is not available.'),
  invite: msg(
    '你的邀请码：{code}\n好友通过链接 {link} 开始聊天，首单完成后你将获得 {points} 积分。',
    'Your referral code: {code}\nWhen a friend starts with {link} and completes a first order, you get {points} points.',
  ),
  referred: msg('🤝 已记录邀请关系，欢迎你！', '🤝 Referral recorded. Welcome!'),
  history: msg('最近的积分变动：', 'Recent points activity:'),
  noHistory: msg('还没有积分记录。', 'No points activity yet.'),
};

const actions = defineActions('loyalty', [
  action('checkin'),
  action('history'),
  action('invite'),
  action('cancel'),
  action('redeem', { rewardId: wireInt }),
  // The nonce comes from the confirmation message: pressing "redeem" twice redeems once.
  action('confirm', { rewardId: wireInt, nonce: z.string().regex(/^[a-f0-9]{6,32}$/) }),
  action('ref', { code: z.string().regex(/^[A-Za-z0-9]{4,20}$/) }),
]);
type Action = ActionOf<typeof actions>;

function nonceOf(ctx: FlowContext): string {
  return createHash('sha256').update(`${ctx.inbound.channel}:${ctx.inbound.messageId}`).digest('hex').slice(0, 12);
}

async function overview(ctx: FlowContext, prefix: Reply[] = []): Promise<CommandResult> {
  const { loyalty, rewards } = ctx.services;
  const customer = ctx.customer.id;
  const balance = await loyalty.currentBalance(customer);
  const tier = asTier(ctx.customer.tier);
  const expiring = await loyalty.expiringSoon(customer, ctx.now);
  const affordable = (await rewards.affordable(balance)).slice(0, 8);
  const lines = [
    ctx.t(text.overview, { tier: ctx.t(tierInfo[tier].label), perks: ctx.t(tierInfo[tier].perks), balance }),
  ];
  if (expiring.points > 0 && expiring.at) {
    lines.push(
      ctx.t(text.expiring, {
        points: expiring.points,
        date: formatDate(expiring.at, ctx.locale, ctx.services.shop.timezone).slice(0, 10),
      }),
    );
  }
  lines.push(affordable.length > 0 ? ctx.t(text.canRedeem) : ctx.t(text.nothingYet));
  const rewardButtons = affordable.map((r) =>
    actions.button(`${ctx.locale === 'en' && r.nameEn ? r.nameEn : r.name} (${r.cost})`, {
      kind: 'redeem',
      rewardId: r.id,
    }),
  );
  return {
    type: 'done',
    replies: [
      ...prefix,
      {
        text: lines.join('\n'),
        buttons: [
          ...rewardButtons,
          actions.button(ctx.t(text.checkInButton), { kind: 'checkin' }),
          actions.button(ctx.t(text.historyButton), { kind: 'history' }),
          actions.button(ctx.t(text.inviteButton), { kind: 'invite' }),
        ],
        private: true,
      },
    ],
  };
}

async function checkIn(ctx: FlowContext): Promise<CommandResult> {
  const result = await ctx.services.loyalty.checkIn(ctx.customer.id, ctx.now);
  const reply =
    result.status === 'ok'
      ? ctx.t(text.checkedIn, { streak: result.streak, points: result.points, balance: result.balance })
      : ctx.t(text.alreadyCheckedIn, { streak: result.streak });
  return { type: 'done', replies: [{ text: reply, private: true }] };
}

async function confirm(ctx: FlowContext, rewardId: number): Promise<CommandResult> {
  const reward = (await ctx.services.rewards.list()).find((r) => r.id === rewardId);
  if (!reward) return { type: 'done', replies: [{ text: ctx.t(text.unavailable), private: true }] };
  const name = ctx.locale === 'en' && reward.nameEn ? reward.nameEn : reward.name;
  const nonce = nonceOf(ctx);
  return {
    type: 'done',
    replies: [
      {
        text: ctx.t(text.confirm, { cost: reward.cost, name }),
        buttons: [
          actions.button(ctx.t(text.yes), { kind: 'confirm', rewardId: reward.id, nonce }),
          actions.button(ctx.t(text.no), { kind: 'cancel' }),
        ],
        private: true,
      },
    ],
  };
}

async function redeem(ctx: FlowContext, rewardId: number, nonce: string): Promise<CommandResult> {
  const reward = (await ctx.services.rewards.list({ activeOnly: false })).find((r) => r.id === rewardId);
  if (!reward) return { type: 'done', replies: [{ text: ctx.t(text.unavailable), private: true }] };
  const name = ctx.locale === 'en' && reward.nameEn ? reward.nameEn : reward.name;
  // The key comes from the confirmation message: pressing "redeem" twice redeems once.
  const result = await ctx.services.rewards.redeem(ctx.customer.id, rewardId, `chat:${ctx.customer.id}:${nonce}`);
  if (!result.ok) {
    const message =
      result.reason === 'insufficient'
        ? ctx.t(text.insufficient, { cost: reward.cost, balance: result.balance })
        : result.reason === 'out_of_stock'
          ? ctx.t(text.outOfStock, { name })
          : ctx.t(text.unavailable);
    return { type: 'done', replies: [{ text: message, private: true }] };
  }
  const lines = [ctx.t(text.redeemed, { name })];
  if (result.code) lines.push(ctx.t(text.code, { code: result.code }));
  lines.push(ctx.t(text.balanceLeft, { balance: result.balance }));
  return { type: 'done', replies: [{ text: lines.join('\n'), private: true }] };
}

async function invite(ctx: FlowContext): Promise<CommandResult> {
  const code = await ctx.services.loyalty.referralCode(ctx.customer.id);
  return {
    type: 'done',
    replies: [
      {
        text: ctx.t(text.invite, {
          code,
          link: `/start ${actions.deepLink({ kind: 'ref', code })}`,
          points: ctx.services.loyaltyRules.referral,
        }),
        private: true,
      },
    ],
  };
}

async function history(ctx: FlowContext): Promise<CommandResult> {
  const ledger = await ctx.services.loyalty.ledger(
    ctx.customer.id,
    { type: 'customer', customerId: ctx.customer.id },
    10,
  );
  if (ledger.entries.length === 0) return { type: 'done', replies: [{ text: ctx.t(text.noHistory), private: true }] };
  const lines = ledger.entries.map(
    (e) =>
      `${formatDate(e.createdAt, ctx.locale, ctx.services.shop.timezone).slice(0, 10)}  ${e.amount > 0 ? '+' : ''}${e.amount}  ${pointsReasonText(e.reason, ctx.locale)}`,
  );
  return { type: 'done', replies: [{ text: `${ctx.t(text.history)}\n${lines.join('\n')}`, private: true }] };
}

async function run(ctx: FlowContext, action: Action | undefined): Promise<CommandResult> {
  switch (action?.kind) {
    case 'checkin':
      return checkIn(ctx);
    case 'history':
      return history(ctx);
    case 'invite':
      return invite(ctx);
    case 'cancel':
      return { type: 'done', replies: [{ text: ctx.t(text.cancelled), private: true }] };
    case 'redeem':
      return confirm(ctx, action.rewardId);
    case 'confirm':
      return redeem(ctx, action.rewardId, action.nonce);
    case 'ref': {
      const outcome = await ctx.services.loyalty.applyReferral(ctx.customer.id, action.code);
      return overview(ctx, outcome === 'ok' ? [{ text: ctx.t(text.referred) }] : []);
    }
  }
  if (pointsHistoryPattern.test(ctx.text)) return history(ctx);
  return checkInPattern.test(ctx.text.trim()) ? checkIn(ctx) : overview(ctx);
}

export const loyaltyFlow = defineCommand({
  name: 'loyalty',
  triggers: {
    commands: ['积分', '我的积分', '/points', 'points', 'my points', '签到', '打卡', '/checkin', 'check in', 'checkin'],
    patterns: loyaltyPatterns,
  },
  actions,
  run,
});
