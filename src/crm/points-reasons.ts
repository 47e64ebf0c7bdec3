// Points-ledger reasons in the customer's words: the ledger keeps codes ("first_order",
// "check-in streak 7", "reward 满100减10券"), the customer sees "首单奖励" / "First order bonus".
// Staff adjustments carry free text written for staff (it may name a complaint or a case), so the
// customer sees only that it was an adjustment.
import { interpolate, type Locale, type Message, msg } from '../kernel/i18n.ts';

const text = {
  purchase: msg('购物积分', 'Purchase'),
  firstOrder: msg('首单奖励', 'First order bonus'),
  referral: msg('邀请好友奖励', 'Referral bonus'),
  refund: msg('退款扣回', 'Refund deduction'),
  checkIn: msg('每日签到', 'Daily check-in'),
  streak: msg('连续签到 {days} 天奖励', '{days}-day check-in streak bonus'),
  expired: msg('积分过期', 'Points expired'),
  birthday: msg('生日礼', 'Birthday gift'),
  reward: msg('兑换「{name}」', 'Redeemed "{name}"'),
  survey: msg('问卷奖励', 'Survey reward'),
  adjustment: msg('积分调整', 'Points adjustment'),
};

const rules: Array<[RegExp, (match: RegExpExecArray) => { message: Message; vars?: Record<string, string> }]> = [
  [/^purchase$/, () => ({ message: text.purchase })],
  [/^first_order$/, () => ({ message: text.firstOrder })],
  [/^referral$/, () => ({ message: text.referral })],
  [/^refund\b/, () => ({ message: text.refund })],
  [/^check-in streak (\d+)$/, (m) => ({ message: text.streak, vars: { days: m[1] ?? '' } })],
  [/^check-in$/, () => ({ message: text.checkIn })],
  [/^expired$/, () => ({ message: text.expired })],
  [/^birthday$/, () => ({ message: text.birthday })],
  [/^reward (.+)$/, (m) => ({ message: text.reward, vars: { name: m[1] ?? '' } })],
  [/^survey\b/, () => ({ message: text.survey })],
];

/** What a ledger entry's reason means, in the customer's language. */
export function pointsReasonText(reason: string, locale: Locale): string {
  for (const [pattern, describe] of rules) {
    const match = pattern.exec(reason);
    if (match) {
      const { message, vars } = describe(match);
      return interpolate(message[locale], vars);
    }
  }
  return text.adjustment[locale];
}
