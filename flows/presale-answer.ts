// Turns a customer question into replies: product cards and attribute answers for the products it
// names (or the product discussed just before), the FAQ answer for policy questions, both for a
// multi-part question, and an honest "not sure, shall I get a person?" when nothing fits well.

import { z } from 'zod';
import { type Aspects, detectAspects } from '../src/ai/aspects.ts';
import { type Hit, productAttributes } from '../src/ai/retrieval.ts';
import { action, defineActions } from '../src/core/actions.ts';
import type { FlowContext } from '../src/core/flow.ts';
import type { Faq, Product } from '../src/crm/records.ts';
import type { Reply } from '../src/domain/messages.ts';
import { formatMoney, msg } from '../src/kernel/i18n.ts';
import { flowButton } from './names.ts';

/** The pre-sale flow's buttons: "加入咨询" on a product card picks that product (`presale:ask:<sku>`). */
export const presaleActions = defineActions('presale', [action('ask', { sku: z.string().min(1).max(64) })]);

/** Below these, a hit is a guess: the bot says it is unsure instead of answering. */
export const PRODUCT_CONFIDENCE = 0.3;
export const FAQ_CONFIDENCE = 0.4;

const text = {
  price: msg('价格：{price}', 'Price: {price}'),
  inStock: msg('库存：有货（{stock} 件）', 'Stock: in stock ({stock})'),
  outOfStock: msg('库存：暂时缺货', 'Stock: currently sold out'),
  sizes: msg('尺码：{values}', 'Sizes: {values}'),
  colors: msg('颜色：{values}', 'Colours: {values}'),
  code: msg('商品编号：{sku}', 'Item code: {sku}'),
  link: msg('链接：{url}', 'Link: {url}'),
  ask: msg('加入咨询', 'Ask about this'),
  staff: msg('联系客服', 'Talk to staff'),
  menu: msg('主菜单', 'Main menu'),
  hasSize: msg('有的，{name} 有 {size} 码。', 'Yes, {name} comes in size {size}.'),
  hasSizeNoStock: msg(
    '{name} 有 {size} 码，但目前整体缺货，可以联系客服登记到货提醒。',
    '{name} comes in size {size}, but it is currently sold out; staff can note you for a restock alert.',
  ),
  noSize: msg(
    '抱歉，{name} 没有 {size} 码，现有尺码：{values}。',
    'Sorry, {name} does not come in {size}. Sizes: {values}.',
  ),
  oneSize: msg('{name} 没有尺码之分。', '{name} has no sizes.'),
  listSizes: msg('{name} 的尺码：{values}。', '{name} comes in: {values}.'),
  listColors: msg('{name} 的颜色：{values}。', '{name} comes in: {values}.'),
  noColors: msg('{name} 只有一种颜色。', '{name} comes in one colour.'),
  stockYes: msg('{name} 有货，目前库存 {stock} 件。', '{name} is in stock ({stock} left).'),
  stockNo: msg(
    '{name} 暂时缺货，可以联系客服登记到货提醒。',
    '{name} is sold out for now; staff can note you for a restock alert.',
  ),
  priceIs: msg('{name} 售价 {price}。', '{name} costs {price}.'),
  several: msg('找到这些商品：', 'I found these items:'),
  whichProduct: msg(
    '请问你问的是哪件商品？可以发商品名称或编号给我。',
    'Which item do you mean? Send me its name or item code.',
  ),
  unsure: msg(
    '这个问题我不太确定，为免答错，可以帮你转人工客服。也可以换个说法再问我。',
    'I am not sure about that one and would rather not guess. I can pass you to our staff, or try rephrasing.',
  ),
};

const sizeKeys = ['尺码', '尺寸', 'size', 'sizes'];
const colorKeys = ['颜色', 'color', 'colour', 'colors'];

function attributeList(product: Product, keys: string[]): string[] | undefined {
  const attrs = productAttributes(product.attributes);
  for (const [key, value] of Object.entries(attrs)) {
    if (keys.includes(key.toLowerCase())) return Array.isArray(value) ? value : [value];
  }
  return undefined;
}

export function productName(product: Product, ctx: Pick<FlowContext, 'locale'>): string {
  return ctx.locale === 'en' && product.nameEn ? product.nameEn : product.name;
}

export function productCard(ctx: FlowContext, product: Product): Reply {
  const lines = [`🛍️ ${productName(product, ctx)}`, ctx.t(text.price, { price: formatMoney(product.price) })];
  lines.push(product.stock > 0 ? ctx.t(text.inStock, { stock: product.stock }) : ctx.t(text.outOfStock));
  const sizes = attributeList(product, sizeKeys);
  if (sizes) lines.push(ctx.t(text.sizes, { values: sizes.join(' / ') }));
  const colors = attributeList(product, colorKeys);
  if (colors) lines.push(ctx.t(text.colors, { values: colors.join(' / ') }));
  lines.push(ctx.t(text.code, { sku: product.sku }));
  if (product.url) lines.push(ctx.t(text.link, { url: product.url }));
  return {
    text: lines.join('\n'),
    buttons: [
      presaleActions.button(ctx.t(text.ask), { kind: 'ask', sku: product.sku }),
      flowButton(ctx.t(text.staff), 'human'),
    ],
  };
}

function aspectLines(ctx: FlowContext, product: Product, aspects: Aspects): string[] {
  const name = productName(product, ctx);
  const lines: string[] = [];
  if (aspects.asked.has('size')) {
    const sizes = attributeList(product, sizeKeys);
    if (!sizes) lines.push(ctx.t(text.oneSize, { name }));
    else if (aspects.size) {
      const has = sizes.some((s) => s.toUpperCase() === aspects.size);
      if (!has) lines.push(ctx.t(text.noSize, { name, size: aspects.size, values: sizes.join(' / ') }));
      else lines.push(ctx.t(product.stock > 0 ? text.hasSize : text.hasSizeNoStock, { name, size: aspects.size }));
    } else lines.push(ctx.t(text.listSizes, { name, values: sizes.join(' / ') }));
  }
  if (aspects.asked.has('color')) {
    const colors = attributeList(product, colorKeys);
    lines.push(colors ? ctx.t(text.listColors, { name, values: colors.join(' / ') }) : ctx.t(text.noColors, { name }));
  }
  if (aspects.asked.has('stock') && !(aspects.asked.has('size') && aspects.size)) {
    lines.push(
      product.stock > 0 ? ctx.t(text.stockYes, { name, stock: product.stock }) : ctx.t(text.stockNo, { name }),
    );
  }
  if (aspects.asked.has('price')) lines.push(ctx.t(text.priceIs, { name, price: formatMoney(product.price) }));
  return lines;
}

export function faqAnswer(ctx: FlowContext, faq: Faq): string {
  return ctx.locale === 'en' && faq.answerEn ? faq.answerEn : faq.answer;
}

export interface PresaleAnswer {
  replies: Reply[];
  products: Product[];
  faqs: Faq[];
  confidence: number;
  answered: boolean;
  /** The grounded sources an LLM may rephrase (nothing else). */
  sources: string[];
}

/** Products whose confidence is close to the best one (several T-shirts for "T恤"). */
function pickProducts(hits: Hit<Product>[]): Hit<Product>[] {
  const best = hits[0];
  if (!best || best.confidence < PRODUCT_CONFIDENCE) return [];
  return hits.filter((h) => h.confidence >= Math.max(PRODUCT_CONFIDENCE, best.confidence * 0.8)).slice(0, 3);
}

/** Clauses of a multi-part question: "连衣裙多少钱，包邮吗" → ["连衣裙多少钱", "包邮吗"]. */
export function clauses(question: string): string[] {
  return question
    .split(/[，,。.！!？?；;、\n]|还有|另外|顺便问一?下|顺便|\band\b|\balso\b/i)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/** The confident FAQs: for the whole question, or (multi-intent) each clause of it; at most two. */
async function faqsByClause(ctx: FlowContext, question: string, whole: Hit<Faq>[]): Promise<Hit<Faq>[]> {
  const picked = new Map<number, Hit<Faq>>();
  const best = whole[0];
  if (best && best.confidence >= FAQ_CONFIDENCE) picked.set(best.item.id, best);
  const parts = clauses(question);
  if (parts.length > 1) {
    for (const part of parts) {
      const hit = (await ctx.services.knowledge.search(part)).faqs[0];
      if (hit && hit.confidence >= FAQ_CONFIDENCE && !picked.has(hit.item.id)) picked.set(hit.item.id, hit);
    }
  }
  return [...picked.values()].sort((a, b) => b.confidence - a.confidence).slice(0, 2);
}

/**
 * FAQ answers for the side questions of a message another flow handles ("订单…到哪了，另外可以开发票吗"):
 * clauses `skip` rejects (the part that flow answers) are left out.
 */
export async function sideQuestionReplies(
  ctx: FlowContext,
  message: string,
  skip: (clause: string) => boolean,
): Promise<Reply[]> {
  const parts = clauses(message);
  if (parts.length < 2) return [];
  const seen = new Set<number>();
  const replies: Reply[] = [];
  for (const part of parts) {
    if (skip(part)) continue;
    const hit = (await ctx.services.knowledge.search(part)).faqs[0];
    if (!hit || hit.confidence < FAQ_CONFIDENCE || seen.has(hit.item.id)) continue;
    seen.add(hit.item.id);
    replies.push({ text: faqAnswer(ctx, hit.item) });
  }
  return replies.slice(0, 2);
}

export async function answerQuestion(ctx: FlowContext, question: string): Promise<PresaleAnswer> {
  const aspects = detectAspects(question);
  const result = await ctx.services.knowledge.search(question, { productText: aspects.productText });
  let products = pickProducts(result.products).map((h) => h.item);
  let confidence = result.products[0]?.confidence ?? 0;
  const faqHits = await faqsByClause(ctx, question, result.faqs);
  const faqHit = faqHits[0];
  const faq = faqHit?.item;
  const productQuestion = aspects.asked.size > 0 || aspects.deictic;
  // "这件有M码吗": no product named, so it is the one discussed last.
  if (
    products.length === 0 &&
    productQuestion &&
    !aspects.namesSomething &&
    (!faq || aspects.deictic || aspects.size)
  ) {
    const sku = await ctx.services.interest.lastProductSku(ctx.customer.id);
    const product = sku ? await ctx.services.knowledge.product(sku) : undefined;
    if (product) {
      products = [product];
      confidence = 0.8;
    }
  }
  const replies: Reply[] = [];
  const sources: string[] = [];
  const first = products[0];
  if (first && aspects.asked.size > 0) {
    for (const product of products) {
      const card = productCard(ctx, product);
      replies.push({ ...card, text: `${aspectLines(ctx, product, aspects).join('\n')}\n\n${card.text}` });
    }
  } else if (products.length > 0) {
    if (products.length > 1) replies.push({ text: ctx.t(text.several) });
    for (const product of products) replies.push(productCard(ctx, product));
  }
  for (const product of products) sources.push(productCard(ctx, product).text);
  const usedFaqs: Faq[] = [];
  for (const hit of faqHits) {
    // "这件有M码吗" is answered from the product; the generic size guide would only add noise.
    if (first && aspects.asked.has('size') && hit.item.category === 'sizing') continue;
    replies.push({ text: faqAnswer(ctx, hit.item) });
    sources.push(faqAnswer(ctx, hit.item));
    usedFaqs.push(hit.item);
    confidence = Math.max(confidence, hit.confidence);
  }
  const answered = replies.length > 0;
  if (!answered) {
    const needsProduct = productQuestion && (aspects.size !== undefined || aspects.deictic);
    replies.push({
      text: ctx.t(needsProduct ? text.whichProduct : text.unsure),
      buttons: [flowButton(ctx.t(text.staff), 'human'), flowButton(ctx.t(text.menu), 'menu')],
    });
  }
  return { replies, products, faqs: usedFaqs, confidence, answered, sources };
}
