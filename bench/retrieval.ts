// Retrieval benchmark: a generated 10,000-product catalogue plus the demo FAQs, answered without an
// LLM. Measures index build time and per-question answer time (aspect detection, synonym/typo
// normalisation, product and FAQ ranking, per-clause FAQ search for multi-part questions; Latin typos are
// corrected before aspect detection, as the planner does).
// Run: npm run bench:retrieval [-- <products> <questions>]
import { performance } from 'node:perf_hooks';
import { detectAspects } from '../src/ai/aspects.ts';
import { splitClauses as clauses } from '../src/ai/clauses.ts';
import { RetrievalIndex } from '../src/ai/retrieval.ts';
import type { Faq, Product } from '../src/db/types.ts';
import { demoFaqs } from '../src/demo/data.ts';

const PRODUCTS = Number(process.argv[2] ?? 10_000);
const QUESTIONS = Number(process.argv[3] ?? 5_000);

/** Deterministic pseudo-random numbers so every run measures the same catalogue. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const random = rng(42);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] ?? (list[0] as T);

const styles = [
  '纯棉',
  '宽松',
  '修身',
  '复古',
  '加绒',
  '轻薄',
  '防风',
  '真丝',
  '亚麻',
  '针织',
  '法式',
  '韩版',
  '美式',
  '简约',
  '印花',
  '条纹',
];
const stylesEn = [
  'Cotton',
  'Loose',
  'Slim',
  'Retro',
  'Fleece',
  'Light',
  'Windproof',
  'Silk',
  'Linen',
  'Knit',
  'French',
  'Korean',
  'American',
  'Minimal',
  'Print',
  'Striped',
];
const kinds = [
  ['T恤', 'T-shirt'],
  ['衬衫', 'shirt'],
  ['卫衣', 'hoodie'],
  ['毛衣', 'sweater'],
  ['羽绒服', 'down jacket'],
  ['冲锋衣', 'shell jacket'],
  ['牛仔裤', 'jeans'],
  ['工装裤', 'cargo pants'],
  ['连衣裙', 'dress'],
  ['半身裙', 'skirt'],
  ['跑鞋', 'running shoes'],
  ['帆布鞋', 'canvas shoes'],
  ['托特包', 'tote bag'],
  ['斜挎包', 'crossbody bag'],
  ['围巾', 'scarf'],
  ['棒球帽', 'cap'],
  ['袜子', 'socks'],
  ['背心', 'vest'],
  ['风衣', 'trench coat'],
  ['西装', 'blazer'],
] as const;
const colors = ['白色', '黑色', '灰色', '藏青', '米白', '卡其', '酒红', '橄榄绿', '燕麦色', '浅蓝'];
const sizes = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];

function catalogue(count: number): Product[] {
  const now = new Date('2026-01-01T00:00:00Z');
  const out: Product[] = [];
  for (let i = 0; i < count; i++) {
    const s = Math.floor(random() * styles.length);
    const [kind, kindEn] = pick(kinds);
    const series = `${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26)}`;
    out.push({
      id: i + 1,
      sku: `SKU-${String(i + 1).padStart(5, '0')}`,
      name: `${styles[s]}${kind} ${series}`,
      nameEn: `${stylesEn[s]} ${kindEn} ${series}`,
      price: 1900 + Math.floor(random() * 60000),
      stock: Math.floor(random() * 200),
      category: kind,
      description: `${styles[s]}风格${kind}，${pick(colors)}百搭，舒适透气。`,
      descriptionEn: `${stylesEn[s]} style ${kindEn}, easy to wear.`,
      attributes: { 尺码: sizes.slice(Math.floor(random() * 3)), 颜色: [pick(colors), pick(colors)] },
      attributesEn: null,
      returnable: random() > 0.1,
      url: null,
      active: true,
      createdAt: now,
      updatedAt: now,
    });
  }
  return out;
}

function faqs(): Faq[] {
  const now = new Date('2026-01-01T00:00:00Z');
  return demoFaqs.map((f, i) => ({
    id: i + 1,
    question: f.question,
    answer: f.answer,
    questionEn: f.questionEn ?? null,
    answerEn: f.answerEn ?? null,
    keywords: f.keywords ?? null,
    category: f.category ?? null,
    createdAt: now,
    updatedAt: now,
  }));
}

const questionTemplates = [
  (p: Product) => `${p.name}多少钱`,
  (p: Product) => `${p.name}有M码吗`,
  (p: Product) => `${p.category}有货吗`,
  (p: Product) => `${p.nameEn} price?`,
  (p: Product) => `is the ${p.nameEn} in stock`,
  (p: Product) => `${p.category}有什么颜色，包邮吗`,
  () => '包邮吗',
  () => '包油吗😊',
  () => '多久能到',
  () => '能便宜点吗',
  () => 'how long does shiping take',
  () => "what's your retrun policy",
  () => '你们卖猫粮吗',
  () => '支持七天无理由退货吗',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const products = catalogue(PRODUCTS);
const t0 = performance.now();
const index = new RetrievalIndex(products, faqs(), [{ term: '围巾', alternatives: ['脖套'] }]);
const buildMs = performance.now() - t0;

const questions = Array.from({ length: QUESTIONS }, () => pick(questionTemplates)(pick(products)));
for (const q of questions.slice(0, 200)) index.search(q); // warm-up (JIT)

const times: number[] = [];
let answered = 0;
for (const question of questions) {
  const start = performance.now();
  const aspects = detectAspects(index.spell(question));
  const result = index.search(question, { productText: aspects.productText });
  const parts = clauses(question);
  if (parts.length > 1) for (const part of parts) index.search(part);
  times.push(performance.now() - start);
  if ((result.products[0]?.confidence ?? 0) >= 0.3 || (result.faqs[0]?.confidence ?? 0) >= 0.4) answered++;
}
times.sort((a, b) => a - b);
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
console.log(`retrieval benchmark — ${PRODUCTS} products, ${demoFaqs.length} FAQs, ${QUESTIONS} questions, no LLM`);
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
console.log(`index build:  ${fmt(buildMs)}`);
console.log(
  `answer time:  p50 ${fmt(percentile(times, 50))}  p95 ${fmt(percentile(times, 95))}  p99 ${fmt(percentile(times, 99))}  max ${fmt(times.at(-1) ?? 0)}`,
);
console.log(`confident answers: ${answered}/${QUESTIONS}`);
const p99 = percentile(times, 99);
if (p99 >= 20) {
  console.log(`FAIL: p99 ${fmt(p99)} is not under 20 ms`);
  process.exitCode = 1;
}
