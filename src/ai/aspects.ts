// What a product question asks about (price, stock, size, colour), detected by pattern so the product
// search sees only the words that name the product ("T恤多少钱" → product "T恤", aspect price).
import { normalize, tokenize } from './tokenize.ts';

export type Aspect = 'price' | 'stock' | 'size' | 'color';

export interface Aspects {
  asked: Set<Aspect>;
  /** A size the customer named ("M", "38"), upper-cased. */
  size: string | undefined;
  /** The question with aspect words removed: what the product search scores. */
  productText: string;
  /** "这件", "it": the customer points at the product discussed before. */
  deictic: boolean;
  /** The product text still has content words: the customer names an item (maybe one we do not sell). */
  namesSomething: boolean;
}

const aspectNames: Aspect[] = ['price', 'stock', 'size', 'color'];
const patterns: Record<Aspect, RegExp> = {
  price: /多少钱|多少米|价格|价钱|几块钱?|售价|卖多少|\bprices?\b|how much|\bcosts?\b/gi,
  stock:
    /有货|有现货|现货|库存|还有吗|还有没有|有没有货|缺货|卖完|断货|没货|\bin stock\b|\bavailable\b|sold out|out of stock|\bstock\b/gi,
  size: /尺码|尺寸|码数|码子|多大码|什么码|\bsizes?\b/gi,
  color: /颜色|什么色|哪些色|几种色|\bcolou?rs?\b/gi,
};

const sizeValue =
  /(?:^|[^a-z0-9])(xxxl|xxl|xl|xs|s|m|l|\d{2})\s*(?:码|号)|\bsize\s*(xxxl|xxl|xl|xs|s|m|l|\d{2})\b|(?:^|[^a-z0-9])(xxxl|xxl|xl|xs|m|l)(?=[^a-z0-9]|$)/i;
const deicticPattern = /这件|这个|这款|这双|这条|那件|那个|那款|它|\bthis\b|\bit\b|\bthat\b|\bthem\b/i;

export function detectAspects(text: string): Aspects {
  const clean = normalize(text);
  const asked = new Set<Aspect>();
  let productText = clean;
  for (const aspect of aspectNames) {
    const pattern = patterns[aspect];
    if (clean.match(pattern)) {
      asked.add(aspect);
      productText = productText.replace(pattern, ' ');
    }
  }
  const match = sizeValue.exec(clean);
  const size = (match?.[1] ?? match?.[2] ?? match?.[3])?.toUpperCase();
  if (size) {
    asked.add('size');
    productText = productText.replace(sizeValue, ' ');
  }
  const deictic = deicticPattern.test(clean);
  productText = productText
    .replace(new RegExp(deicticPattern.source, 'gi'), ' ')
    .replace(/有没有|有吗|吗|呢|\?|？/g, ' ')
    .trim();
  return { asked, size, productText, deictic, namesSomething: tokenize(productText).some((t) => t.weight >= 1) };
}
