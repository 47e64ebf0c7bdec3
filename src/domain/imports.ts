// CSV import vocabulary: what can be imported, how a file was read, and the report a preview or an
// import returns (the console renders it; the CLI prints it).
import { z } from 'zod';

export const ImportKind = z.enum(['products', 'faqs', 'orders']);
export type ImportKind = z.infer<typeof ImportKind>;

/** How the file's bytes were decoded: UTF-8 (with or without BOM) or GB18030, which covers GBK. */
export const CsvEncoding = z.enum(['utf-8-bom', 'utf-8', 'gb18030']);
export type CsvEncoding = z.infer<typeof CsvEncoding>;

/** Why a record was not imported, for the console to say in the staff's language. */
export const ImportProblem = z.enum([
  /** The row has more or fewer fields than the header. */
  'field_count',
  /** Not an amount in yuan. */
  'amount',
  /** Not a whole number (stock, qty). */
  'whole_number',
  /** Not true/false, yes/no, 1/0, 是/否. */
  'yes_no',
  /** Not a date or time. */
  'date',
  /** Any other rule of the field's schema (missing, too long, unknown value). */
  'invalid',
  /** Valid, but the write was refused (e.g. a clash with an existing record). */
  'not_saved',
]);
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportError = z.object({
  /** Data row numbers (1 = the first row after the header). */
  rows: z.array(z.number().int()),
  key: z.string(),
  /** The column at fault, when one is. */
  column: z.string().optional(),
  problem: ImportProblem,
  /** The problem in English, with details (the CLI prints it). */
  error: z.string(),
});
export type ImportError = z.infer<typeof ImportError>;

export const ImportReport = z.object({
  kind: ImportKind,
  encoding: CsvEncoding,
  /** True for a preview: nothing was written. */
  dryRun: z.boolean(),
  /** Records in the file (an order of three item rows is one record). */
  records: z.number().int(),
  /** Records that passed validation. */
  valid: z.number().int(),
  /** Records written (0 in a preview). */
  imported: z.number().int(),
  failed: z.array(ImportError),
  /** Header columns this kind does not read. */
  ignoredColumns: z.array(z.string()),
});
export type ImportReport = z.infer<typeof ImportReport>;
