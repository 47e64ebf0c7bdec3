// Personal data leaves for an LLM provider only masked: phone numbers, ID and bank card numbers,
// e-mail addresses, street addresses and names ("我叫…", "收件人…", the customer's own name) become
// placeholders. The model needs none of them to classify a message or to rephrase the shop's facts.

/** Placeholders the model sees instead. */
export const placeholders = {
  name: '[name]',
  phone: '[phone]',
  address: '[address]',
  email: '[email]',
  id: '[id]',
  card: '[card]',
} as const;

const cn = '\\u4e00-\\u9fa5';
const patterns: [RegExp, string][] = [
  // Resident ID (18 characters, the last may be X) before bank cards and phones, which it contains.
  [/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g, placeholders.id],
  [/(?<!\d)\d{16,19}(?!\d)/g, placeholders.card],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, placeholders.email],
  // Mainland mobiles (+86 optional, spaces or dashes inside) and landlines (010-12345678).
  [/(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g, placeholders.phone],
  [/(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/g, placeholders.phone],
  // Chinese street addresses: optional province/city/district, a road, a number, then building/room parts.
  [
    new RegExp(
      `(?:[${cn}]{1,8}(?:省|市|区|县|镇|乡))*[${cn}A-Za-z0-9]{1,20}(?:路|街|大道|巷|弄|胡同|村)[0-9一二三四五六七八九十百零-]+(?:号|弄)(?:[0-9A-Za-z一二三四五六七八九十-]+(?:栋|幢|楼|单元|室|号))*`,
      'g',
    ),
    placeholders.address,
  ],
  [
    /\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Drive|Dr)\b\.?/g,
    placeholders.address,
  ],
  // Names introduced as names.
  [
    new RegExp(`(我叫|我是|名字[是叫]?|收件人[是:：]?|联系人[是:：]?|姓名[是:：]?)\\s*[${cn}]{2,4}`, 'g'),
    `$1${placeholders.name}`,
  ],
  [/\b(my name is|I am|I'm|recipient:?|addressee:?)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?/g, `$1 ${placeholders.name}`],
];

/** This customer's own profile values: masked wherever they occur, also where no pattern would find them. */
export interface KnownPersonalData {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
}

/** `text` with personal data replaced by placeholders. */
export function maskPersonalData(text: string, known: KnownPersonalData = {}): string {
  let masked = text;
  for (const key of ['name', 'phone', 'email'] as const) {
    const value = known[key]?.trim();
    if (value && value.length >= 2) masked = masked.split(value).join(placeholders[key]);
  }
  for (const [pattern, replacement] of patterns) masked = masked.replace(pattern, replacement);
  return masked;
}
