// What a phone number is: shared by the profile form in the browser, the API and the chat flows.
import { z } from 'zod';

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

/** A phone field of a request, kept as written (trimmed): refused unless `normalisePhone` reads it. */
export const PhoneText = z
  .string()
  .trim()
  .max(32)
  .refine((value) => normalisePhone(value) !== undefined, 'not a valid phone number');
