// The check an LLM draft must pass before a customer sees it: every claim in it is supported by the
// retrieved sources. A model can be talked into promising "一万积分" or "全场五折", into asking for a
// phone number, into pasting a link, or can copy the stock count as the price; each of those is
// refused here and the customer gets the deterministic answer instead. Deliberately strict: a false
// refusal costs a plainer answer, a false acceptance costs the shop money or the customer's data.

/** Why a draft may not be sent. */
export type DraftProblem = 'number' | 'wrong_field' | 'promise' | 'link' | 'personal_data';

/** What a number in a text measures, read from the words around it. */
type NumberKind = 'price' | 'count' | 'time' | 'percent' | 'points' | 'plain';

interface FoundNumber {
  value: number;
  kind: NumberKind;
}

const digitOf: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const smallUnit: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const bigUnit: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };

/** 一万 → 10000, 十五 → 15, 两百 → 200, 三千五百 → 3500. */
export function chineseNumeral(text: string): number {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const char of text) {
    const d = digitOf[char];
    if (d !== undefined) {
      digit = d;
      continue;
    }
    const small = smallUnit[char];
    if (small !== undefined) {
      section += (digit || 1) * small;
      digit = 0;
      continue;
    }
    const big = bigUnit[char];
    if (big !== undefined) {
      total += (section + digit || 1) * big;
      section = 0;
      digit = 0;
    }
  }
  return total + section + digit;
}

// A lone Chinese numeral is mostly a word (一下, 一起, 十分): it counts only before a unit.
const unitAfterLone = /^(?:件|个|天|日|元|块|折|次|份|年|月|周|号|岁|倍|小时|分钟|积分|斤|克|米|码|%)/;
const numberPattern = /(\d+(?:\.\d+)?)\s*([万千亿])?|([零〇一二两三四五六七八九十百千万亿]+)/g;

// The unit right after the number (spaces allowed, not a line break or punctuation).
const kindAfter: [RegExp, NumberKind][] = [
  [/^[ \t]*(?:元|块|rmb|yuan)/i, 'price'],
  [/^[ \t]*(?:件|个|pcs|pieces|items|in stock)/i, 'count'],
  [/^[ \t]*(?:天|日|工作日|小时|周|个月|days?|hours?|weeks?|months?)/i, 'time'],
  [/^[ \t]*(?:%|折|percent|off)/i, 'percent'],
  [/^[ \t]*(?:积分|points?|pts)/i, 'points'],
];
const kindBefore: [RegExp, NumberKind][] = [
  [/(?:¥|￥|\$|rmb|价格?|售价|只要|仅需|price)\s*[:：]?\s*$/i, 'price'],
  [/(?:库存|剩|还有|stock)\s*[:：]?\s*$/i, 'count'],
];

function kindOf(before: string, after: string): NumberKind {
  if (/[¥￥$][ \t]*$/.test(before)) return 'price';
  for (const [pattern, kind] of kindAfter) if (pattern.test(after)) return kind;
  for (const [pattern, kind] of kindBefore) if (pattern.test(before)) return kind;
  return 'plain';
}

/** The numbers in a text (Arabic and Chinese numerals) with what each one measures. */
export function numbersWithKinds(text: string): FoundNumber[] {
  const found: FoundNumber[] = [];
  for (const match of text.matchAll(numberPattern)) {
    const start = match.index;
    const end = start + match[0].length;
    const after = text.slice(end, end + 12);
    let value: number;
    if (match[1] !== undefined) {
      const multiplier = match[2] ? (smallUnit[match[2]] ?? bigUnit[match[2]] ?? 1) : 1;
      value = Number(match[1]) * multiplier;
    } else {
      const chinese = match[3] ?? '';
      if (chinese.length === 1 && !unitAfterLone.test(after)) continue;
      value = chineseNumeral(chinese);
    }
    found.push({ value, kind: kindOf(text.slice(Math.max(0, start - 8), start), after) });
  }
  return found;
}

/** Offers a model must not make up: each needs a source that talks about the same thing. */
const promises: Record<string, RegExp> = {
  points: /积分|\bpoints?\b/i,
  discount: /折|优惠|特价|减价|立减|满减|降价|\bdiscount|\d+\s*%\s*off|\bsale\b/i,
  refund: /退款|退钱|返现|赔偿|\brefund|money back|cash ?back|compensat/i,
  coupon: /券|优惠码|红包|\bcoupon|\bvoucher|promo code/i,
  gift: /赠品|赠送|免费送|送你|礼品|礼物|\bgift|\bfree\b(?!\s+shipping)/i,
  shipping: /包邮|免运费|free shipping/i,
};

const linkPattern =
  /https?:\/\/[^\s，。！？、）)"'<>]+|www\.[^\s，。！？、）)"'<>]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|shop|top|xyz|io|cc|me|link|ly)\b(?:\/[^\s，。！？、）)"'<>]*)?/gi;

/** Personal data a shop assistant must never ask for in chat. */
const personalData =
  /手机号|电话|联系方式|地址|住址|身份证|证件号|银行卡|卡号|密码|验证码|微信号|支付宝账号|\bphone\b|mobile number|\baddress\b|id card|identity (?:card|number)|passport|password|bank card|card number|verification code|\bOTP\b/i;

/** The first reason `draft` may not be sent, or null when every claim in it is in `sources`. */
export function draftProblem(draft: string, sources: readonly string[]): DraftProblem | null {
  const corpus = sources.join('\n');
  if (personalData.test(draft)) return 'personal_data';
  const sourceLinks = corpus.toLowerCase();
  for (const link of draft.match(linkPattern) ?? []) {
    if (!sourceLinks.includes(link.toLowerCase().replace(/[.,;:!?]+$/, ''))) return 'link';
  }
  for (const pattern of Object.values(promises)) {
    if (pattern.test(draft) && !pattern.test(corpus)) return 'promise';
  }
  const known = numbersWithKinds(corpus);
  for (const { value, kind } of numbersWithKinds(draft)) {
    const same = known.filter((n) => n.value === value);
    if (same.length === 0) return 'number';
    if (kind !== 'plain' && !same.some((n) => n.kind === kind || n.kind === 'plain')) return 'wrong_field';
  }
  return null;
}
