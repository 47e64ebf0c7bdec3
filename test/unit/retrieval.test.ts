// Retrieval and intent rules in isolation: Chinese bigrams, typos, synonyms, confidence, intents.
import { describe, expect, it } from 'vitest';
import { detectAspects } from '../../src/ai/aspects.ts';
import { classifyText, orderNumberCandidates } from '../../src/ai/intents.ts';
import { RetrievalIndex } from '../../src/ai/retrieval.ts';
import { tokenize } from '../../src/ai/tokenize.ts';
import type { Faq, Product } from '../../src/db/types.ts';

const now = new Date('2026-01-01T00:00:00Z');
const product = (
  id: number,
  sku: string,
  name: string,
  nameEn: string,
  attributes: Record<string, string[]> = {},
): Product => ({
  id,
  sku,
  name,
  nameEn,
  price: 7900,
  stock: 3,
  category: null,
  description: null,
  descriptionEn: null,
  attributes,
  attributesEn: null,
  returnable: true,
  url: null,
  active: true,
  createdAt: now,
  updatedAt: now,
});
const faq = (id: number, question: string, questionEn: string, keywords: string[]): Faq => ({
  id,
  question,
  answer: `answer ${id}`,
  questionEn,
  answerEn: null,
  keywords,
  category: null,
  createdAt: now,
  updatedAt: now,
});

const index = new RetrievalIndex(
  [
    product(1, 'TS-1', '纯棉圆领T恤', 'Cotton crew-neck T-shirt', { 尺码: ['S', 'M'] }),
    product(2, 'JK-1', '轻薄羽绒服', 'Lightweight down jacket'),
    product(3, 'SC-1', '羊毛围巾', 'Wool scarf'),
  ],
  [
    faq(1, '包邮吗？运费多少？', 'Is shipping free?', ['包邮', '运费', 'shipping']),
    faq(2, '多久发货？', 'When do you ship?', ['发货']),
  ],
  [{ term: '围巾', alternatives: ['脖套'] }],
);

describe('tokenize', () => {
  it('makes bigrams across Chinese and Latin units and drops emoji and particles', () => {
    const terms = tokenize('这件T恤有M码吗😊').map((t) => t.term);
    expect(terms).toContain('t恤');
    expect(terms).toContain('m码');
    expect(terms).not.toContain('吗');
    expect(terms.join('')).not.toContain('😊');
  });
});

describe('RetrievalIndex', () => {
  it('ranks Chinese without spaces, English, typos and synonyms', () => {
    expect(index.search('羽绒服').products[0]?.item.sku).toBe('JK-1');
    expect(index.search('down jaket').products[0]?.item.sku).toBe('JK-1');
    expect(index.search('脖套').products[0]?.item.sku).toBe('SC-1');
    expect(index.search('包油吗').faqs[0]?.item.id).toBe(1);
    expect(index.search('is shiping free').faqs[0]?.item.id).toBe(1);
  });

  it('is confident about a real match and not about an unrelated question', () => {
    expect(index.search('包邮吗').faqs[0]?.confidence).toBeGreaterThan(0.8);
    const unrelated = index.search('你们卖猫粮吗');
    expect(unrelated.faqs[0]?.confidence ?? 0).toBeLessThan(0.3);
    expect(unrelated.products[0]?.confidence ?? 0).toBeLessThan(0.3);
  });

  it('answers a repeated search the same, whatever the caller did with the first answer', () => {
    const first = index.search('纯棉T恤有M码吗', { productText: 't恤' });
    const expected = JSON.stringify(first);
    first.products.length = 0;
    first.faqs[0]?.unexplained.push('changed');
    expect(JSON.stringify(index.search('纯棉T恤有M码吗', { productText: 't恤' }))).toBe(expected);
  });

  it('does not let a canonical term be rewritten by its own alternative', () => {
    expect(index.normalizeQuery('围巾多少钱')).toBe('围巾 多少钱');
  });
});

describe('aspects', () => {
  it('separates what is asked from what is named', () => {
    const aspects = detectAspects('这件有M码吗');
    expect([...aspects.asked]).toEqual(['size']);
    expect(aspects.size).toBe('M');
    expect(aspects.deictic).toBe(true);
    expect(aspects.namesSomething).toBe(false);
    expect(detectAspects('脖套多少钱').namesSomething).toBe(true);
    expect(detectAspects('how much is it in size XL').size).toBe('XL');
  });

  it('gives a repeated question the same aspects, whatever the caller did with the first', () => {
    const first = detectAspects('白色有XL码吗');
    const expected = { asked: [...first.asked], sizes: [...first.sizes], colors: [...first.colors] };
    first.asked.clear();
    first.sizes.push('S');
    first.colors.length = 0;
    const again = detectAspects('白色有XL码吗');
    expect({ asked: [...again.asked], sizes: again.sizes, colors: again.colors }).toEqual(expected);
  });
});

describe('intents', () => {
  it('tells policy questions from requests', () => {
    expect(classifyText('支持七天无理由退货吗')).toBeNull();
    expect(classifyText('可以开发票吗')).toBeNull();
    expect(classifyText('我要退货')?.intent).toBe('aftersale');
    expect(classifyText('I want a refund')?.intent).toBe('aftersale');
    expect(classifyText('少发了一件')?.intent).toBe('aftersale');
    expect(classifyText('订单 20251111-0042 到哪了')?.intent).toBe('orders');
    expect(classifyText('where is my parcel')?.intent).toBe('orders');
    expect(classifyText('包邮吗')).toBeNull();
    expect(classifyText('可以退货？')).toBeNull();
    expect(classifyText('订单DEMO-1002到哪了，另外可以开发票吗')?.intent).toBe('orders');
    expect(classifyText('DEMO-1002 我要开发票')?.intent).toBe('aftersale');
  });

  it('finds order numbers but not phone numbers', () => {
    expect(orderNumberCandidates('订单20251111-0042到哪了')).toEqual(['20251111-0042']);
    expect(orderNumberCandidates('order demo-1002 pls')).toEqual(['DEMO-1002']);
    expect(orderNumberCandidates('我的手机13812345678')).toEqual([]);
  });
});
