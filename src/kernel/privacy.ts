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

/** Phone numbers are vocabulary (the console's profile form validates them too). */
export { normalisePhone } from '../domain/phone.ts';
