// Drives the real app over the evaluation set: the fixture shop goes in through the admin API, every
// utterance through the webchat API (a fresh customer per item, its fixture orders and earlier turns
// first). What the bot understood is read from what it did, never from inside the code: the reply
// (text, buttons), the conversation's escalation reason, the customer's profile (the pre-sale
// question event, consent), and the language the reply is written in.

import { smalltalkText } from '../../src/ai/smalltalk.ts';
import type { App } from '../../src/app.ts';
import type { Reply } from '../../src/domain/messages.ts';
import type { EvalItem, FixtureShop } from './eval-set.ts';

export const targets = { intent: 0.95, language: 0.99, answer: 0.9, confidentWrong: 0.01 } as const;

export interface ItemResult {
  item: EvalItem;
  replies: Reply[];
  observed: string[];
  language: 'zh' | 'en' | undefined;
  intentOk: boolean;
  languageOk: boolean;
  answerOk: boolean;
  /** The bot answered without saying it was unsure. */
  confident: boolean;
  /** The reply's confidence as recorded with the question (pre-sale answers only). */
  score: number | undefined;
  problems: string[];
}

interface Turn {
  status: number;
  replies: Reply[];
  flow: string | null;
}

const visitorSecret = 'understanding-bench-secret-0001';

async function post(app: App, visitorId: string, body: Record<string, unknown>): Promise<Turn> {
  const response = await app.http.inject({
    method: 'POST',
    url: '/api/webchat/messages',
    headers: { 'x-visitor-secret': visitorSecret },
    payload: { visitorId, ...body },
  });
  const json: unknown = response.json();
  const replies = isObject(json) && Array.isArray(json.replies) ? (json.replies as Reply[]) : [];
  const conversation = isObject(json) && isObject(json.conversation) ? json.conversation : undefined;
  return {
    status: response.statusCode,
    replies,
    flow: typeof conversation?.flow === 'string' ? conversation.flow : null,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function admin(app: App, method: 'PUT' | 'POST', url: string, body: unknown): Promise<void> {
  const response = await app.http.inject({
    method,
    url,
    headers: { authorization: `Bearer ${app.adminToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
}

/** Puts the fixture shop's products, FAQs and synonyms in through the admin API. */
export async function seedShop(app: App, shop: FixtureShop): Promise<void> {
  for (const { sku, ...product } of shop.products) {
    await admin(app, 'PUT', `/api/products/${encodeURIComponent(sku)}`, product);
  }
  for (const { key: _key, ...faq } of shop.faqs) await admin(app, 'POST', '/api/faqs', faq);
  for (const { term, alternatives } of shop.synonyms) {
    await admin(app, 'PUT', `/api/synonyms/${encodeURIComponent(term)}`, { alternatives });
  }
  await app.services.knowledge.warm();
}

const mainMenuTargets = ['presale', 'orders', 'aftersale', 'loyalty', 'human', 'profile'];
const notUnderstood = /没太明白|did not quite get that/;
const ordersSignature = /没有查到你的订单|could not find any orders/;
const afterSaleSignature =
  /你还没有售后单|You have no after-sale cases|你的售后单：|Your cases:|售后单号：|Case number:|请选择售后类型|What do you need help with\?|没有找到可以申请售后的订单|could not find an order eligible/;
const loyaltySignature =
  /签到成功|Checked in!|今天已经签到|already checked in today|最近的积分变动|Recent points activity|还没有积分记录|No points activity yet/;
const languageSignature = /我会用中文和你交流|I will speak English with you/;
const smalltalkReplies = Object.values(smalltalkText).flatMap((m) => [m['zh-CN'], m.en]);

/** The language a reply is written in: the majority of its lines (the first line breaks a tie). */
export function replyLanguage(replies: Reply[]): 'zh' | 'en' | undefined {
  let zh = 0;
  let en = 0;
  let first: 'zh' | 'en' | undefined;
  for (const line of replies.flatMap((r) => r.text.split('\n'))) {
    const han = line.match(/[\u3400-\u9fff]/g)?.length ?? 0;
    const words = line.match(/[A-Za-z]{2,}/g)?.length ?? 0;
    if (han === 0 && words === 0) continue;
    const lang = han / 1.7 > words ? 'zh' : 'en';
    first ??= lang;
    if (lang === 'zh') zh++;
    else en++;
  }
  if (zh === en) return first;
  return zh > en ? 'zh' : 'en';
}

function includesFact(text: string, fact: string): boolean {
  // Short facts (sizes: "M", "XL") are matched exactly; longer ones ignore case ("Yes" / "yes").
  return fact.length <= 2 ? text.includes(fact) : text.toLowerCase().includes(fact.toLowerCase());
}

/** Runs one item on a fresh customer and judges the reply. */
export async function runItem(app: App, shop: FixtureShop, item: EvalItem): Promise<ItemResult> {
  const visitor = `eval-${item.id}`;
  for (const key of item.orders ?? []) {
    const order = shop.orders.find((o) => o.key === key);
    if (!order) throw new Error(`${item.id}: no fixture order ${key}`);
    const { key: _key, ...body } = order;
    await admin(app, 'POST', '/api/orders', { ...body, customer: { channel: 'webchat', externalId: visitor } });
  }
  for (const step of item.setup ?? []) {
    const [data = '', label] = step.slice(1).split('|');
    const turn = step.startsWith('!')
      ? await post(app, visitor, { action: data, text: label ?? data })
      : await post(app, visitor, { text: step });
    if (turn.status !== 200) throw new Error(`${item.id}: setup "${step}" answered ${turn.status}`);
  }
  const reasons: string[] = [];
  const stop = app.events.on('conversation', (event) => {
    if (event.reason) reasons.push(event.reason);
  });
  const identity = await app.store.repos.customers.findIdentity('webchat', visitor);
  const before = identity ? await lastInteractionId(app, identity.customerId) : 0;
  let turn: Turn;
  try {
    turn = await post(app, visitor, { text: item.text, messageId: `${visitor}-scored` });
  } finally {
    stop();
  }
  const customerId = (await app.store.repos.customers.findIdentity('webchat', visitor))?.customerId;
  const customer = customerId ? await app.store.repos.customers.get(customerId) : null;
  const events = customerId
    ? (await app.store.repos.interactions.forCustomer(customerId, 20)).filter(
        (row) => row.id > before && row.kind === 'event',
      )
    : [];
  const question = events.map((row) => row.payload).find((p) => isObject(p) && p.type === 'presale.question');

  const text = turn.replies.map((r) => r.text).join('\n');
  const data = turn.replies.flatMap((r) => r.buttons?.map((b) => b.data) ?? []);
  const observed = new Set<string>();
  if (reasons.some((r) => r.includes('complaint'))) observed.add('complaint');
  else if (reasons.includes('customer_request')) observed.add('human');
  else if (reasons.includes('not_understood')) observed.add('unknown');
  if (isObject(question)) {
    const asked = Array.isArray(question.asked) ? question.asked : [];
    for (const intent of asked) if (typeof intent === 'string') observed.add(intent);
    if (question.answered === false) observed.add('unknown');
  }
  if (data.some((d) => d.startsWith('orders:')) || ordersSignature.test(text)) observed.add('orders');
  // A conversation handed to staff keeps its last flow name; it is not the answer to this message.
  const escalated = observed.has('human') || observed.has('complaint');
  if ((turn.flow === 'aftersale' && !escalated) || afterSaleSignature.test(text)) observed.add('aftersale');
  if (data.some((d) => d.startsWith('loyalty:')) || loyaltySignature.test(text)) observed.add('loyalty');
  if (mainMenuTargets.every((t) => data.includes(t)) && !notUnderstood.test(text)) observed.add('menu');
  if (notUnderstood.test(text)) observed.add('unknown');
  if (customer && !customer.marketingOptIn) observed.add('unsubscribe');
  if (languageSignature.test(text)) observed.add('language');
  if (smalltalkReplies.some((reply) => text.includes(reply))) observed.add('smalltalk');

  const problems: string[] = [];
  if (turn.status !== 200) problems.push(`HTTP ${turn.status}`);
  const expected = new Set(item.intents);
  const intentOk = expected.size === observed.size && [...expected].every((i) => observed.has(i));
  if (!intentOk) problems.push(`intents ${[...observed].join(',') || '-'} ≠ ${item.intents.join(',')}`);
  const language = replyLanguage(turn.replies);
  const languageOk = language === item.lang;
  if (!languageOk) problems.push(`answered in ${language ?? '?'}`);
  for (const fact of item.must ?? []) {
    const options = Array.isArray(fact) ? fact : [fact];
    if (!options.some((option) => includesFact(text, option))) problems.push(`missing ${options.join(' | ')}`);
  }
  for (const fact of item.mustNot ?? []) if (includesFact(text, fact)) problems.push(`contains ${fact}`);
  const unsure = observed.has('unknown');
  if (expected.has('unknown')) {
    if (!unsure) problems.push('answered instead of saying it is not sure');
    else if (!data.includes('human')) problems.push('no button to reach a person');
  } else if (expected.has('human') && !observed.has('human')) problems.push('not handed to a person');
  else if (expected.has('complaint') && !observed.has('complaint')) problems.push('complaint not escalated');
  else if (!expected.has('human') && !expected.has('complaint') && unsure) problems.push('said it was not sure');
  const answerOk =
    turn.status === 200 && !problems.some((p) => !p.startsWith('intents') && !p.startsWith('answered in'));
  const score = isObject(question) && typeof question.confidence === 'number' ? question.confidence : undefined;
  return {
    item,
    replies: turn.replies,
    observed: [...observed],
    language,
    intentOk,
    languageOk,
    answerOk,
    confident: !unsure,
    score,
    problems,
  };
}

async function lastInteractionId(app: App, customerId: number): Promise<number> {
  const rows = await app.store.repos.interactions.forCustomer(customerId, 1);
  return rows[0]?.id ?? 0;
}

export interface Rates {
  n: number;
  intent: number;
  language: number;
  answer: number;
  confidentWrong: number;
}

export interface Report {
  overall: Rates;
  byCategory: Array<[string, Rates]>;
  byLanguage: Array<[string, Rates]>;
  /** Pre-sale answers given, by their recorded confidence: how often an answer at that confidence was right. */
  calibration: Array<{ bin: string; n: number; correct: number }>;
  failures: ItemResult[];
}

function rates(results: ItemResult[]): Rates {
  const n = results.length || 1;
  const share = (test: (r: ItemResult) => boolean) => results.filter(test).length / n;
  return {
    n: results.length,
    intent: share((r) => r.intentOk),
    language: share((r) => r.languageOk),
    answer: share((r) => r.answerOk),
    confidentWrong: share((r) => r.confident && !r.answerOk),
  };
}

function groupBy(results: ItemResult[], key: (r: ItemResult) => string): Array<[string, Rates]> {
  const groups = new Map<string, ItemResult[]>();
  for (const result of results) {
    const name = key(result);
    groups.set(name, [...(groups.get(name) ?? []), result]);
  }
  return [...groups.entries()].map(([name, list]) => [name, rates(list)]);
}

export function summarize(results: ItemResult[]): Report {
  const bins = [0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01];
  const calibration = bins.slice(0, -1).map((low, i) => {
    const high = bins[i + 1] ?? 1.01;
    const inBin = results.filter((r) => r.confident && r.score !== undefined && r.score >= low && r.score < high);
    return {
      bin: `${low.toFixed(1)}–${Math.min(high, 1).toFixed(1)}`,
      n: inBin.length,
      correct: inBin.filter((r) => r.answerOk).length,
    };
  });
  return {
    overall: rates(results),
    byCategory: groupBy(results, (r) => r.item.cat),
    byLanguage: groupBy(results, (r) => r.item.lang),
    calibration,
    failures: results.filter((r) => r.problems.length > 0),
  };
}

/** The targets a report misses, as sentences (empty when it meets them all). */
export function missedTargets(report: Report): string[] {
  const { overall } = report;
  const missed: string[] = [];
  if (overall.intent < targets.intent) missed.push(`intent accuracy ${pct(overall.intent)} < ${pct(targets.intent)}`);
  if (overall.language < targets.language)
    missed.push(`language accuracy ${pct(overall.language)} < ${pct(targets.language)}`);
  if (overall.answer < targets.answer)
    missed.push(`answer correctness ${pct(overall.answer)} < ${pct(targets.answer)}`);
  if (overall.confidentWrong > targets.confidentWrong)
    missed.push(`confident-wrong ${pct(overall.confidentWrong)} > ${pct(targets.confidentWrong)}`);
  return missed;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export function formatReport(report: Report, options: { failures?: boolean } = {}): string {
  const row = (name: string, r: Rates) =>
    `${name.padEnd(12)} ${String(r.n).padStart(4)}  ${pct(r.intent).padStart(7)}  ${pct(r.language).padStart(7)}  ${pct(r.answer).padStart(7)}  ${pct(r.confidentWrong).padStart(7)}`;
  const lines = [
    `${'category'.padEnd(12)} ${'n'.padStart(4)}  ${'intent'.padStart(7)}  ${'lang'.padStart(7)}  ${'answer'.padStart(7)}  ${'conf-wr'.padStart(7)}`,
    ...report.byCategory.map(([name, r]) => row(name, r)),
    ...report.byLanguage.map(([name, r]) => row(`(${name})`, r)),
    row('overall', report.overall),
    '',
    'calibration (pre-sale answers given, by recorded confidence): bin  n  right',
    ...report.calibration.filter((b) => b.n > 0).map((b) => `  ${b.bin}  ${b.n}  ${pct(b.correct / b.n)}`),
  ];
  if (options.failures && report.failures.length > 0) {
    lines.push('', `${report.failures.length} items with problems:`);
    for (const f of report.failures) {
      lines.push(
        `  ${f.item.id} "${f.item.text}" → ${f.problems.join('; ')} :: ${f.replies
          .map((r) => r.text)
          .join(' | ')
          .replace(/\n/g, ' ')
          .slice(0, 220)}`,
      );
    }
  }
  return lines.join('\n');
}
