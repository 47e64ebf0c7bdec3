// Reading a CSV file as a shop owner's spreadsheet saves it. Excel on Chinese Windows writes GBK/GB18030,
// not UTF-8, and says nothing about it: the bytes are decoded as UTF-8 when they are valid UTF-8 (a BOM
// marks it for certain) and as GB18030 (a superset of GBK and GB2312) otherwise, so a file never imports
// as mojibake. Rows must have exactly the header's number of fields: a row with one field too many is a
// shifted row, and storing it would put values in the wrong columns.
import { CsvError, parse } from 'csv-parse/sync';
import type { CsvEncoding } from '../domain/imports.ts';

export interface CsvRow {
  /** Data row number: 1 is the first row after the header. */
  row: number;
  fields: Record<string, string>;
}

/** A row that cannot be read as a record (wrong number of fields). */
export interface CsvRowProblem {
  row: number;
  error: string;
}

export interface CsvTable {
  encoding: CsvEncoding;
  columns: string[];
  rows: CsvRow[];
  problems: CsvRowProblem[];
}

/** Thrown when the file as a whole cannot be read (no header, broken quoting). */
export class CsvFileError extends Error {
  override name = 'CsvFileError';
}

const BOM = [0xef, 0xbb, 0xbf];

export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (BOM.every((b, i) => bytes[i] === b)) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

export function readCsv(bytes: Uint8Array): CsvTable {
  const { text, encoding } = decodeCsv(bytes);
  let records: string[][];
  try {
    // The column count is checked per row below, so one bad row is reported instead of failing the file.
    records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    const reason = error instanceof CsvError ? error.message : String(error);
    throw new CsvFileError(`the file is not valid CSV: ${reason}`);
  }
  const [header, ...body] = records;
  if (!header || header.every((h) => h === '')) throw new CsvFileError('the file has no header row');
  const columns = header.map((h) => h.trim());
  const duplicate = columns.find((c, i) => c !== '' && columns.indexOf(c) !== i);
  if (duplicate) throw new CsvFileError(`the header names column "${duplicate}" twice`);
  const rows: CsvRow[] = [];
  const problems: CsvRowProblem[] = [];
  body.forEach((values, index) => {
    const row = index + 1;
    if (values.length !== columns.length) {
      problems.push({
        row,
        error: `expected ${columns.length} fields as in the header, found ${values.length}`,
      });
      return;
    }
    rows.push({ row, fields: Object.fromEntries(columns.map((name, i) => [name, values[i] ?? ''])) });
  });
  return { encoding, columns, rows, problems };
}
