// Personal data in logs: phone numbers are masked before anything is written to a log line.
const phonePattern = /(?<!\d)(\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)/g;

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** Masks every mainland mobile number inside free text. */
export function maskPhonesInText(text: string): string {
  return text.replace(phonePattern, (_whole, _cc, head: string, _mid, tail: string) => `${head}****${tail}`);
}

/**
 * Mainland China mobile (11 digits, 1[3-9]…, optional +86) → the 11 digits; any other number must be
 * international E.164 (+ and 8–15 digits). Anything else is not a phone number.
 */
export function normalisePhone(input: string): string | undefined {
  const compact = input.replace(/[\s()-]/g, '');
  const mainland = compact.replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (/^1[3-9]\d{9}$/.test(mainland)) return mainland;
  return /^\+[1-9]\d{7,14}$/.test(compact) ? compact : undefined;
}
