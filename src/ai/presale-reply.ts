// The words of a pre-sale answer: one reply for the whole message (every question answered in turn,
// one set of buttons), in the customer's language. Where the shop gave no English (a product name,
// attribute values, an FAQ answer) the English reply says so and shows the Chinese as it is, instead
// of mixing it silently into an English sentence. Stock 0 always reads "sold out", a few left reads
// "only N left", never plain "in stock".
import type { Faq, Product } from '../db/types.ts';
import type { Button, Reply } from '../domain/messages.ts';
import { formatMoney, type Locale, msg, type Translate, translator } from '../kernel/i18n.ts';
import type { AnswerPlan, ProductPart } from './answer.ts';
import type { Aspect } from './aspects.ts';
import {
  type AttributeKind,
  attributeList,
  isOneSize,
  kindLabelEn,
  type ProductAttribute,
  valueMatches,
} from './attributes.ts';

/** At or below this many left, stock is "only N left" (库存紧张). */
export const LOW_STOCK = 5;

export const presaleText = {
  price: msg('价格：{price}', 'Price: {price}'),
  inStock: msg('库存：有货（{stock} 件）', 'Stock: in stock ({stock})'),
  lowStock: msg('库存：仅剩 {stock} 件', 'Stock: only {stock} left'),
  outOfStock: msg('库存：暂时缺货（已售罄）', 'Stock: sold out for now'),
  attribute: msg('{label}：{values}', '{label}: {values}'),
  code: msg('商品编号：{sku}', 'Item code: {sku}'),
  link: msg('链接：{url}', 'Link: {url}'),
  ask: msg('加入咨询', 'Ask about this'),
  askAbout: msg('咨询：{name}', 'Ask: {name}'),
  staff: msg('联系客服', 'Talk to staff'),
  menu: msg('主菜单', 'Main menu'),
  several: msg('找到这些商品：', 'I found these items:'),
  hasSize: msg('有的，{name} 有 {size} 码。', 'Yes, {name} comes in size {size}.'),
  hasSizeLow: msg(
    '有的，{name} 有 {size} 码，不过库存紧张，仅剩 {stock} 件。',
    'Yes, {name} comes in size {size}, but only {stock} left.',
  ),
  hasSizeNoStock: msg(
    '{name} 有 {size} 码，但目前整体缺货（已售罄），可以联系客服登记到货提醒。',
    '{name} comes in size {size}, but it is sold out for now; staff can note you for a restock alert.',
  ),
  noSize: msg(
    '抱歉，{name} 没有 {size} 码，现有尺码：{values}。',
    'Sorry, {name} does not come in {size}. Sizes: {values}.',
  ),
  oneSizeYes: msg('{name} 为均码。', '{name} is one size.'),
  oneSize: msg('{name} 没有尺码之分。', '{name} has no sizes.'),
  listSizes: msg('{name} 的尺码：{values}。', '{name} comes in: {values}.'),
  listColors: msg('{name} 的颜色：{values}。', '{name} comes in: {values}.'),
  noColors: msg('{name} 只有一种颜色。', '{name} comes in one colour.'),
  hasValue: msg('有的，{name} 有{value}{others}。', 'Yes, {name} comes in {value}{others}.'),
  others: msg('；另有{values}', '; also {values}'),
  hasValueNoStock: msg(
    '{name} 有{value}，但目前整体缺货（已售罄），可以联系客服登记到货提醒。',
    '{name} comes in {value}, but it is sold out for now; staff can note you for a restock alert.',
  ),
  noValue: msg(
    '抱歉，{name} 没有{value}，现有{label}：{values}。',
    'Sorry, {name} does not come in {value}. {label}: {values}.',
  ),
  listSpec: msg('{name} 的{label}：{values}。', '{label} of {name}: {values}.'),
  described: msg('{name}：{description}', '{name}: {description}'),
  stockYes: msg('{name} 有货，目前库存 {stock} 件。', '{name} is in stock ({stock} left).'),
  stockLow: msg('{name} 库存紧张，仅剩 {stock} 件。', '{name}: only {stock} left.'),
  stockNo: msg(
    '{name} 暂时缺货（已售罄），可以联系客服登记到货提醒。',
    '{name} is sold out for now; staff can note you for a restock alert.',
  ),
  priceIs: msg('{name} 售价 {price}。', '{name} costs {price}.'),
  whichProduct: msg(
    '请问你问的是哪件商品？可以发商品名称或编号给我。',
    'Which item do you mean? Send me its name or item code.',
  ),
  unsure: msg(
    '这个问题我不太确定，为免答错，可以帮你转人工客服。也可以换个说法再问我。',
    'I am not sure about that one and would rather not guess. I can pass you to our staff, or try rephrasing.',
  ),
  unsureAbout: msg(
    '关于“{clause}”，我不太确定，为免答错，可以帮你转人工客服。',
    'About "{clause}": I am not sure and would rather not guess; I can pass you to our staff.',
  ),
  chineseOnly: msg('{values}', '{values} (the shop lists these in Chinese only)'),
  chineseName: msg('{name}', '{name} (Chinese name)'),
  faqChineseOnly: msg('{answer}', 'The shop has this answer in Chinese only:\n{answer}'),
};

const zhLabels: Partial<Record<AttributeKind, string>> = { size: '尺码', color: '颜色' };

export function productName(product: Product, locale: Locale): string {
  if (locale === 'en') return product.nameEn ?? interpolateName(product.name);
  return product.name;
}

function interpolateName(name: string): string {
  return translator('en')(presaleText.chineseName, { name });
}

function label(attribute: ProductAttribute, locale: Locale): string {
  if (locale === 'en') return kindLabelEn[attribute.kind];
  return zhLabels[attribute.kind] ?? attribute.key;
}

/** The values of an attribute in the reply's language; Chinese with a visible note where English is missing. */
function valueList(attribute: ProductAttribute, locale: Locale, only?: string[]): string {
  const pick = attribute.values
    .map((value, index) => ({ value, en: attribute.valuesEn[index] }))
    .filter((v) => !only || only.includes(v.value));
  if (locale === 'zh-CN') return pick.map((v) => v.value).join(' / ');
  if (pick.every((v) => v.en !== undefined)) return pick.map((v) => v.en).join(' / ');
  return translator('en')(presaleText.chineseOnly, { values: pick.map((v) => v.value).join(' / ') });
}

function stockLine(t: Translate, product: Product): string {
  if (product.stock <= 0) return t(presaleText.outOfStock);
  if (product.stock <= LOW_STOCK) return t(presaleText.lowStock, { stock: product.stock });
  return t(presaleText.inStock, { stock: product.stock });
}

/** The product card: name, price, stock, attributes, code, link. */
export function productCardText(product: Product, locale: Locale): string {
  const t = translator(locale);
  const lines = [`🛍️ ${productName(product, locale)}`, t(presaleText.price, { price: formatMoney(product.price) })];
  lines.push(stockLine(t, product));
  for (const attribute of attributeList(product)) {
    lines.push(t(presaleText.attribute, { label: label(attribute, locale), values: valueList(attribute, locale) }));
  }
  lines.push(t(presaleText.code, { sku: product.sku }));
  if (product.url) lines.push(t(presaleText.link, { url: product.url }));
  return lines.join('\n');
}

/** The buttons a pre-sale reply offers, built by the flow that owns them (typed actions live above src/ai). */
export interface PresaleButtons {
  /** "加入咨询": makes the product the one in context. */
  ask(label: string, sku: string): Button;
  /** "联系客服": a person. */
  staff(label: string): Button;
  /** The main menu. */
  menu(label: string): Button;
}

export function productCard(product: Product, locale: Locale, make: PresaleButtons): Reply {
  const t = translator(locale);
  return {
    text: productCardText(product, locale),
    buttons: [make.ask(t(presaleText.ask), product.sku), make.staff(t(presaleText.staff))],
  };
}

export function faqAnswer(faq: Faq, locale: Locale): string {
  if (locale === 'zh-CN') return faq.answer;
  return faq.answerEn ?? translator('en')(presaleText.faqChineseOnly, { answer: faq.answer });
}

function stockSentence(t: Translate, product: Product, name: string): string {
  if (product.stock <= 0) return t(presaleText.stockNo, { name });
  if (product.stock <= LOW_STOCK) return t(presaleText.stockLow, { name, stock: product.stock });
  return t(presaleText.stockYes, { name, stock: product.stock });
}

function sizeLines(t: Translate, part: ProductPart, locale: Locale, name: string, plan: AnswerPlan): string[] {
  const { product, aspects } = part;
  const sizes = attributeList(product).find((a) => a.kind === 'size');
  if (!sizes) return [t(presaleText.oneSize, { name })];
  if (aspects.sizes.length === 0) return [t(presaleText.listSizes, { name, values: valueList(sizes, locale) })];
  const lines: string[] = [];
  for (const asked of aspects.sizes) {
    const matched = sizes.values.filter((value, index) =>
      valueMatches(asked, value, sizes.valuesEn[index], plan.values),
    );
    if (matched.length > 0 && matched.every(isOneSize)) {
      lines.push(t(presaleText.oneSizeYes, { name }));
      continue;
    }
    if (matched.length === 0) {
      lines.push(t(presaleText.noSize, { name, size: asked, values: valueList(sizes, locale) }));
      continue;
    }
    const size = matched.join(' / ');
    if (product.stock <= 0) lines.push(t(presaleText.hasSizeNoStock, { name, size }));
    else if (product.stock <= LOW_STOCK) lines.push(t(presaleText.hasSizeLow, { name, size, stock: product.stock }));
    else lines.push(t(presaleText.hasSize, { name, size }));
  }
  return lines;
}

/** Yes / no for asked values of a colour or spec attribute, or the list when no value was named. */
function valueLines(
  t: Translate,
  part: ProductPart,
  locale: Locale,
  name: string,
  plan: AnswerPlan,
  kind: AttributeKind,
  asked: string[],
): string[] {
  const attribute = attributeList(part.product).find((a) => a.kind === kind);
  if (!attribute) return kind === 'color' ? [t(presaleText.noColors, { name })] : [];
  const listed = valueList(attribute, locale);
  if (asked.length === 0) {
    return [
      kind === 'color'
        ? t(presaleText.listColors, { name, values: listed })
        : t(presaleText.listSpec, { name, label: label(attribute, locale), values: listed }),
    ];
  }
  const lines: string[] = [];
  for (const value of asked) {
    const matched = attribute.values.filter((v, index) =>
      valueMatches(value, v, attribute.valuesEn[index], plan.values),
    );
    if (matched.length === 0) {
      lines.push(t(presaleText.noValue, { name, value, label: label(attribute, locale), values: listed }));
      continue;
    }
    const shown = valueList(attribute, locale, matched);
    const rest = attribute.values.filter((v) => !matched.includes(v));
    if (part.product.stock <= 0) {
      lines.push(t(presaleText.hasValueNoStock, { name, value: shown }));
      continue;
    }
    const others = rest.length > 0 ? t(presaleText.others, { values: valueList(attribute, locale, rest) }) : '';
    lines.push(t(presaleText.hasValue, { name, value: shown, others }));
  }
  return lines;
}

const specKinds: Array<Aspect & AttributeKind> = ['material', 'capacity', 'fill', 'scent'];

function aspectLines(t: Translate, part: ProductPart, locale: Locale, plan: AnswerPlan): string[] {
  const { product, aspects } = part;
  const name = productName(product, locale);
  const lines: string[] = [];
  if (aspects.asked.has('price')) lines.push(t(presaleText.priceIs, { name, price: formatMoney(product.price) }));
  if (aspects.asked.has('size')) lines.push(...sizeLines(t, part, locale, name, plan));
  if (aspects.asked.has('color')) lines.push(...valueLines(t, part, locale, name, plan, 'color', aspects.colors));
  for (const kind of specKinds) {
    if (!aspects.asked.has(kind)) continue;
    // A value with a unit is asked of the attribute measured in it: "500ml" of a capacity, "90g" of a fill.
    const asked = aspects.specs.filter((spec) =>
      kind === 'capacity' ? /l$/.test(spec) : kind === 'fill' && /g$/.test(spec),
    );
    const specLines = valueLines(t, part, locale, name, plan, kind, asked);
    // No attribute lists the material: the description says it (answerable() checked that it does).
    if (specLines.length === 0 && kind === 'material') lines.push(descriptionLine(t, product, locale, name));
    lines.push(...specLines);
  }
  const valueAnswered = aspects.sizes.length > 0 || aspects.colors.length > 0;
  if (aspects.asked.has('stock') && !(valueAnswered && product.stock <= LOW_STOCK)) {
    lines.push(stockSentence(t, product, name));
  }
  return lines;
}

function descriptionLine(t: Translate, product: Product, locale: Locale, name: string): string {
  const description =
    locale === 'en'
      ? (product.descriptionEn ?? translator('en')(presaleText.chineseOnly, { values: product.description ?? '' }))
      : (product.description ?? '');
  return t(presaleText.described, { name, description });
}

/** The one reply for a planned answer. */
export function renderAnswer(plan: AnswerPlan, locale: Locale, make: PresaleButtons): Reply {
  const t = translator(locale);
  const staff = make.staff(t(presaleText.staff));
  if (plan.parts.length === 0) {
    return {
      text: t(plan.needsProduct ? presaleText.whichProduct : presaleText.unsure),
      buttons: [staff, make.menu(t(presaleText.menu))],
    };
  }
  const sections: string[] = [];
  const products = plan.parts.filter((p): p is ProductPart => p.kind === 'product');
  const listing = products.length > 1 && products.every((p) => p.aspects.asked.size === 0);
  if (listing) sections.push(t(presaleText.several));
  for (const part of plan.parts) {
    if (part.kind === 'faq') {
      sections.push(faqAnswer(part.faq, locale));
      continue;
    }
    const lines = part.aspects.asked.size > 0 ? aspectLines(t, part, locale, plan) : [];
    const card = productCardText(part.product, locale);
    sections.push(lines.length > 0 ? `${lines.join('\n')}\n${card}` : card);
  }
  for (const clause of plan.unanswered) sections.push(t(presaleText.unsureAbout, { clause }));
  const buttons: Button[] = products
    .slice(0, 3)
    .map((part) =>
      make.ask(
        products.length === 1
          ? t(presaleText.ask)
          : t(presaleText.askAbout, { name: productName(part.product, locale).slice(0, 24) }),
        part.product.sku,
      ),
    );
  buttons.push(staff);
  return { text: sections.join('\n\n'), buttons };
}
