// The subject check: an answer may state a time, a price or a place only for the subject the customer
// asked about. When a question names a specific place, payment method, courier or period ("Hong Kong",
// "花呗", "DHL", "过年") and the matched FAQ does not mention it, the FAQ answers a different question
// (mainland delivery times are not Hong Kong's), so the bot must say it is not sure instead.
import { normalize } from './tokenize.ts';

interface Subject {
  kind: 'place' | 'audience' | 'payment' | 'courier' | 'period';
  /** How customers name it; the source must contain one of these to cover it. */
  names: string[];
}

/**
 * Subjects a generic shop answer does not silently cover. Mainland provinces and cities are not here:
 * a rule for "other provinces" does cover Beijing; it does not cover Hong Kong or Singapore.
 */
const subjects: Subject[] = [
  { kind: 'place', names: ['香港', '港澳', 'hong kong', 'hongkong'] },
  { kind: 'place', names: ['澳门', 'macau', 'macao'] },
  { kind: 'place', names: ['台湾', 'taiwan'] },
  {
    kind: 'place',
    names: ['海外', '国外', '境外', '出国', 'overseas', 'abroad', 'international', 'internationally', 'worldwide'],
  },
  { kind: 'place', names: ['美国', 'usa', 'united states', 'america'] },
  { kind: 'place', names: ['英国', 'uk', 'united kingdom', 'britain', 'england'] },
  { kind: 'place', names: ['日本', 'japan'] },
  { kind: 'place', names: ['韩国', 'korea'] },
  { kind: 'place', names: ['新加坡', 'singapore'] },
  { kind: 'place', names: ['马来西亚', 'malaysia'] },
  { kind: 'place', names: ['加拿大', 'canada'] },
  { kind: 'place', names: ['澳洲', '澳大利亚', 'australia'] },
  { kind: 'place', names: ['俄罗斯', 'russia'] },
  { kind: 'place', names: ['欧洲', '德国', '法国', 'europe', 'germany', 'france'] },
  { kind: 'place', names: ['泰国', 'thailand'] },
  {
    kind: 'audience',
    names: ['儿童', '童装', '小孩', '孩子', '宝宝', '婴儿', 'kids', 'kid', 'children', 'child', 'baby', 'toddler'],
  },
  { kind: 'audience', names: ['孕妇', 'maternity', 'pregnant'] },
  { kind: 'payment', names: ['花呗', 'huabei'] },
  { kind: 'payment', names: ['白条'] },
  { kind: 'payment', names: ['分期', 'installment', 'installments', 'instalment', 'instalments'] },
  { kind: 'payment', names: ['paypal'] },
  { kind: 'payment', names: ['apple pay', 'applepay'] },
  { kind: 'payment', names: ['先用后付', 'pay later', 'buy now pay later'] },
  { kind: 'payment', names: ['visa', 'mastercard', '万事达'] },
  { kind: 'courier', names: ['dhl'] },
  { kind: 'courier', names: ['ems'] },
  { kind: 'courier', names: ['fedex', '联邦快递'] },
  { kind: 'courier', names: ['ups'] },
  { kind: 'courier', names: ['京东', 'jd'] },
  { kind: 'courier', names: ['极兔', 'j&t'] },
  { kind: 'courier', names: ['圆通'] },
  { kind: 'courier', names: ['申通'] },
  { kind: 'courier', names: ['邮政'] },
  { kind: 'period', names: ['过年', '春节', 'chinese new year', 'spring festival', 'lunar new year'] },
  { kind: 'period', names: ['国庆', 'national day'] },
  { kind: 'period', names: ['节假日', '假期', 'holiday', 'holidays'] },
  { kind: 'period', names: ['周末', '星期天', '星期日', '周日', 'weekend', 'weekends', 'sunday'] },
  { kind: 'period', names: ['双十一', '双11', '618'] },
];

/** Whether `text` names `name`: Latin names as whole words, Chinese ones anywhere. */
type Matcher = (text: string) => boolean;

function matcher(name: string): Matcher {
  if (/^[a-z0-9& ]+$/.test(name)) {
    const pattern = new RegExp(`\\b${name.replace(/&/g, '\\&')}\\b`);
    return (text) => pattern.test(text);
  }
  return (text) => text.includes(name);
}

/** Each subject with its names compiled once (this runs on every FAQ answer's subject check). */
const compiled = subjects.map((subject) => ({ subject, names: subject.names.map(matcher) }));

/** Any subject name at all, in one regex: most questions name none, and are done with one test. */
const anyName = new RegExp(
  subjects
    .flatMap((subject) => subject.names)
    .map((name) => {
      const literal = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return /^[a-z0-9& ]+$/.test(name) ? `\\b${literal}\\b` : literal;
    })
    .join('|'),
);

function named(text: string): Array<{ subject: Subject; names: Matcher[] }> {
  if (!anyName.test(text)) return [];
  return compiled.filter((entry) => entry.names.some((mentions) => mentions(text)));
}

/** The specific subjects a question names. */
export function subjectsIn(question: string): Subject[] {
  return named(normalize(question)).map((entry) => entry.subject);
}

/** Whether `source` (an FAQ's question, answer and keywords) speaks about every subject the question names. */
export function coversSubjects(question: string, source: string): boolean {
  const asked = named(normalize(question));
  if (asked.length === 0) return true;
  const text = normalize(source);
  return asked.every((entry) => entry.names.some((mentions) => mentions(text)));
}

/** What kind of fact a question asks for, and how a source that states one looks. */
const factKinds: Array<{ asks: RegExp; states: RegExp }> = [
  // A price or fee: the source must state an amount (or that it is free).
  {
    asks: /多少钱|费用|运费多少|邮费多少|几块|收费|\bhow much (is|are|does|do|for)\b(?!.*\b(down|fill)\b)|\b(fee|fees|cost|costs|charge)\b/i,
    states: /¥|元|块|\d+\s*(yuan|rmb)|免费|包邮|free|no charge/i,
  },
  // A clock time: the source must state one.
  {
    asks: /几点|what time|\b(open|close|closes|opening|closing)\b/i,
    states: /\d{1,2}[:：]\d{2}|\d{1,2}\s*(点|am|pm)/i,
  },
];

/** Whether `source` states the kind of fact the question asks for (an amount for "how much is delivery"). */
export function statesAskedFact(question: string, source: string): boolean {
  return factKinds.every((kind) => !kind.asks.test(question) || kind.states.test(source));
}
