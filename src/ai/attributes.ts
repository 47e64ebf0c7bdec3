// Product attributes as customers ask about them: which attribute a key is (size, colour, or a spec
// such as material or capacity), the English for a value (the shop's `attributesEn`, else the built-in
// name of a common colour, else none: the caller falls back visibly), and whether an asked value
// ("白的", "white", "大码", "军绿") is one the product has. Value equivalences come from the built-in
// groups below plus the shop's synonyms (GET/PUT /api/synonyms), so a shop can teach "大码 = XL".
import { z } from 'zod';
import type { JsonValue, Product } from '../db/types.ts';

export const Attributes = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export type Attributes = z.infer<typeof Attributes>;

export function parseAttributes(value: JsonValue | null | undefined): Attributes {
  const parsed = Attributes.safeParse(value);
  return parsed.success ? parsed.data : {};
}

export type AttributeKind = 'size' | 'color' | 'material' | 'capacity' | 'fill' | 'scent' | 'other';

/** Attribute keys shops use, by what they describe. */
const keyKinds: Array<[AttributeKind, string[]]> = [
  ['size', ['尺码', '尺寸', '码数', '鞋码', '码', 'size', 'sizes']],
  ['color', ['颜色', '色', '配色', '颜色分类', 'color', 'colour', 'colors', 'colours']],
  ['material', ['材质', '面料', '成分', '材料', '用料', 'material', 'fabric', 'composition']],
  ['capacity', ['容量', 'capacity', 'volume']],
  ['fill', ['充绒量', '含绒量', '绒量', 'fill', 'down fill']],
  ['scent', ['香型', '香味', '味道', 'scent', 'scents', 'fragrance']],
];

export function keyKind(key: string): AttributeKind {
  const clean = key.trim().toLowerCase();
  for (const [kind, keys] of keyKinds) if (keys.includes(clean)) return kind;
  return 'other';
}

/** English labels for attribute lines ("Sizes: S / M / L"). */
export const kindLabelEn: Record<AttributeKind, string> = {
  size: 'Sizes',
  color: 'Colours',
  material: 'Material',
  capacity: 'Capacity',
  fill: 'Down fill',
  scent: 'Scents',
  other: 'Details',
};

/** Shared between the readers of a product (see `attributeList`): read-only. */
export interface ProductAttribute {
  readonly key: string;
  readonly kind: AttributeKind;
  readonly values: readonly string[];
  /** English for each value, index for index; undefined where neither the shop nor the built-in colours have one. */
  readonly valuesEn: ReadonlyArray<string | undefined>;
}

/** Common colour names with their English, and what customers type for them. */
const colorGroups: Array<{ zh: string; en: string; aliases: string[] }> = [
  { zh: '白色', en: 'white', aliases: ['白', '白的', '纯白', '白色款', 'white'] },
  { zh: '黑色', en: 'black', aliases: ['黑', '黑的', '纯黑', '黑色款', 'black'] },
  { zh: '灰色', en: 'grey', aliases: ['灰', '灰的', 'grey', 'gray'] },
  { zh: '蓝色', en: 'blue', aliases: ['蓝', '蓝的', 'blue'] },
  { zh: '红色', en: 'red', aliases: ['红', '红的', 'red'] },
  { zh: '绿色', en: 'green', aliases: ['绿', '绿的', 'green'] },
  { zh: '黄色', en: 'yellow', aliases: ['黄', '黄的', 'yellow'] },
  { zh: '粉色', en: 'pink', aliases: ['粉', '粉的', '粉红', '粉红色', 'pink'] },
  { zh: '紫色', en: 'purple', aliases: ['紫', '紫的', 'purple'] },
  { zh: '棕色', en: 'brown', aliases: ['棕', '咖色', '咖啡色', 'brown'] },
  { zh: '橙色', en: 'orange', aliases: ['橙', '橘色', 'orange'] },
  { zh: '米白', en: 'off-white', aliases: ['米色', '米白色', '奶白', 'off-white', 'off white', 'cream'] },
  { zh: '卡其', en: 'khaki', aliases: ['卡其色', 'khaki'] },
  { zh: '藏青', en: 'navy', aliases: ['藏青色', '藏蓝', '藏蓝色', 'navy', 'navy blue'] },
  { zh: '深蓝', en: 'dark blue', aliases: ['深蓝色', 'dark blue'] },
  { zh: '浅蓝', en: 'light blue', aliases: ['浅蓝色', '天蓝', 'light blue', 'sky blue'] },
  { zh: '酒红', en: 'burgundy', aliases: ['酒红色', 'burgundy', 'wine red'] },
  { zh: '橄榄绿', en: 'olive green', aliases: ['军绿', '军绿色', 'olive', 'olive green', 'army green'] },
  { zh: '驼色', en: 'camel', aliases: ['驼', 'camel'] },
  { zh: '杏色', en: 'apricot', aliases: ['杏', 'apricot'] },
  { zh: '燕麦色', en: 'oatmeal', aliases: ['燕麦', 'oatmeal'] },
];

/** The hue a Chinese colour name is built on (雾霾蓝 → 蓝): "有蓝色的吗" is answered with 雾霾蓝. */
const hues = '白黑灰蓝红绿黄粉紫棕橙青';

/** Sizes customers type for standard size codes. */
const sizeGroups: Array<{ value: string; aliases: string[] }> = [
  { value: 'XS', aliases: ['xs', '加小', '特小号', 'extra small'] },
  { value: 'S', aliases: ['s', 's码', '小码', '小号', 'small'] },
  { value: 'M', aliases: ['m', 'm码', '中码', '中号', 'medium'] },
  { value: 'L', aliases: ['l', 'l码', '大号', 'large'] },
  { value: 'XL', aliases: ['xl', 'xl码', '加大', '加大码', 'extra large'] },
  { value: 'XXL', aliases: ['xxl', '2xl', 'xxl码', '特大', '特大号'] },
  { value: 'XXXL', aliases: ['xxxl', '3xl'] },
  { value: '均码', aliases: ['均码', '统一码', '一个码', 'one size', 'free size', 'onesize'] },
];

/** Units written in both scripts. */
const units: Array<[RegExp, string]> = [
  [/毫升/g, 'ml'],
  [/升/g, 'l'],
  [/克/g, 'g'],
  [/公斤|千克/g, 'kg'],
  [/\s+/g, ''],
];

export function normalizeValue(value: string): string {
  let out = value.normalize('NFKC').toLowerCase().trim();
  for (const [pattern, replacement] of units) out = out.replace(pattern, replacement);
  return out;
}

export interface ValueVocabulary {
  /** Equivalence groups of normalised values (built-in colours and sizes plus the shop's synonyms). */
  groups: Array<Set<string>>;
}

export function valueVocabulary(shopSynonyms: Array<{ term: string; alternatives: string[] }>): ValueVocabulary {
  const groups: Array<Set<string>> = [];
  for (const group of colorGroups) groups.push(new Set([group.zh, group.en, ...group.aliases].map(normalizeValue)));
  for (const group of sizeGroups) groups.push(new Set([group.value, ...group.aliases].map(normalizeValue)));
  // A shop synonym pairs its term with each alternative ("大码" = XL, "大码" = XXL), but does not make
  // the alternatives one another's synonyms (XL is not XXL).
  for (const entry of shopSynonyms) {
    for (const alternative of entry.alternatives) groups.push(new Set([entry.term, alternative].map(normalizeValue)));
  }
  return { groups };
}

/** Every word customers may use for a colour, longest first (for finding the one they asked about). */
export const colorWords: string[] = colorGroups
  .flatMap((g) => [g.zh, g.en, ...g.aliases])
  .sort((a, b) => b.length - a.length);

/** Built-in English for a Chinese colour value, when it is exactly a common colour name. */
function builtinColorEn(value: string): string | undefined {
  const clean = normalizeValue(value);
  return colorGroups.find((g) => normalizeValue(g.zh) === clean || g.aliases.some((a) => normalizeValue(a) === clean))
    ?.en;
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The product's attributes with their English, in the shop's order. */
const kindOrder: AttributeKind[] = ['size', 'color', 'material', 'capacity', 'fill', 'scent', 'other'];

function kindRank(key: string): number {
  return kindOrder.indexOf(keyKind(key));
}

/**
 * Attribute lists by product, with the values they were built from: an answer reads a product's list
 * several times (answerability, the card, the size and colour lines), and the catalogue index keeps
 * the same product objects from message to message. A product whose attributes were replaced is
 * listed afresh.
 */
const listed = new WeakMap<
  object,
  {
    attributes: JsonValue | null | undefined;
    attributesEn: JsonValue | null | undefined;
    list: readonly ProductAttribute[];
  }
>();

export function attributeList(product: Pick<Product, 'attributes' | 'attributesEn'>): readonly ProductAttribute[] {
  const known = listed.get(product);
  if (known && known.attributes === product.attributes && known.attributesEn === product.attributesEn)
    return known.list;
  const list = buildAttributeList(product);
  listed.set(product, { attributes: product.attributes, attributesEn: product.attributesEn, list });
  return list;
}

function buildAttributeList(product: Pick<Product, 'attributes' | 'attributesEn'>): readonly ProductAttribute[] {
  const zh = parseAttributes(product.attributes);
  const en = parseAttributes(product.attributesEn);
  // A fixed order (by kind, then key), not the object's: PostgreSQL's jsonb does not keep key order,
  // and a product card must read the same on both databases.
  const entries = Object.entries(zh).sort(([a], [b]) => kindRank(a) - kindRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([key, raw]) => {
    const values = list(raw);
    const english = list(en[key]);
    const kind = keyKind(key);
    const valuesEn = values.map((value, index) => {
      if (english.length === values.length) return english[index];
      if (/^[\x20-\x7e]+$/.test(value)) return value;
      return kind === 'color' ? builtinColorEn(value) : undefined;
    });
    return { key, kind, values, valuesEn };
  });
}

/** Whether an asked value (in either language) names this product value (or its English). */
export function valueMatches(
  asked: string,
  value: string,
  valueEn: string | undefined,
  vocabulary: ValueVocabulary,
): boolean {
  const a = normalizeValue(asked);
  const candidates = [value, valueEn].filter((v): v is string => Boolean(v)).map(normalizeValue);
  if (candidates.includes(a)) return true;
  for (const group of vocabulary.groups) {
    if (group.has(a) && candidates.some((c) => group.has(c))) return true;
  }
  // Shades of a hue: "蓝色" / "blue" is answered with 雾霾蓝 / "haze blue"; "红" with 酒红.
  const hue = hueOf(a, vocabulary);
  if (hue && [...value].some((c) => c === hue)) return true;
  if (/^[a-z]+$/.test(a) && valueEn && new RegExp(`\\b${a}\\b`).test(normalizeValue(valueEn).replace(/[/-]/g, ' ')))
    return true;
  return false;
}

/** The hue character of an asked colour ("蓝色", "blue", "军绿" → 绿). */
function hueOf(asked: string, vocabulary: ValueVocabulary): string | undefined {
  const own = [...asked].find((c) => hues.includes(c));
  if (own) return own;
  for (const group of vocabulary.groups) {
    if (!group.has(asked)) continue;
    for (const member of group) {
      const hue = [...member].find((c) => hues.includes(c));
      if (hue && member.length <= 2) return hue;
    }
  }
  return undefined;
}

/** The English for a size a customer typed ("大码" stays as typed; "large" → "L"). */
export function sizeCode(asked: string): string | undefined {
  const clean = normalizeValue(asked);
  return sizeGroups.find((g) => g.aliases.includes(clean) || normalizeValue(g.value) === clean)?.value;
}

/** Whether a product value means "one size fits all". */
export function isOneSize(value: string): boolean {
  return sizeGroups.find((g) => g.value === '均码')?.aliases.includes(normalizeValue(value)) ?? false;
}
