// Building blocks of the JSON the console and the API exchange. Times travel as ISO 8601 UTC
// strings: the server encodes Dates with these codecs, the console decodes them back to Dates.
import { z } from 'zod';

export const IsoDate = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

export const Id = z.number().int().positive();

/** The common error body: `{ error: { code, message } }`. */
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** `{ ok: true }` for actions with nothing else to say. */
export const Ok = z.object({ ok: z.literal(true) });
