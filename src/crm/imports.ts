// CSV import of products, FAQs and orders. A file is read (encoding detected, strict column count, see
// csv-file.ts), every record is validated with the same zod schemas as the API, and the shop sees the
// result before anything is written: `preview` writes nothing, `apply` writes the valid records, each in
// its own transaction, so no record is ever half-written. Orders span several rows (one per item); an
// order is the unit, so one bad item row rejects that whole order and lists all of its rows. Every error
// names its rows and, where one column is at fault, the column.
import { z } from 'zod';
import { FaqInput, ProductInput, parseAttributeText, Sku } from '../domain/catalog-input.ts';
import { InvalidInputError } from '../domain/errors.ts';
import type { ImportError, ImportKind, ImportProblem, ImportReport } from '../domain/imports.ts';
import { instantOf } from '../kernel/hours.ts';
import type { CatalogService } from './catalog.ts';
import type { Actor } from './context.ts';
import { CsvFileError, type CsvRow, readCsv } from './csv-file.ts';
import { OrderInput, type OrderService } from './orders.ts';

/** Columns each kind reads; the required ones must be in the header. */
const columnsOf: Record<ImportKind, { required: string[]; optional: string[] }> = {
  products: {
    required: ['sku', 'name', 'price'],
    optional: [
      'nameEn',
      'stock',
      'category',
      'description',
      'descriptionEn',
      'attributes',
      'attributesEn',
      'returnable',
      'url',
    ],
  },
  faqs: { required: ['question', 'answer'], optional: ['questionEn', 'answerEn', 'keywords', 'category'] },
  orders: {
    required: ['orderNo', 'channel', 'externalId', 'status', 'sku', 'price'],
    optional: ['name', 'phone', 'carrier', 'trackingNo', 'placedAt', 'expectedDeliveryAt', 'total', 'itemName', 'qty'],
  },
};

/** A value that failed in a known column. */
class ColumnError extends Error {
  constructor(
    readonly column: string,
    readonly problem: ImportProblem,
    message: string,
  ) {
    super(message);
  }
}

function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'invalid value';
}

/** Parses one column's text with `schema`; a failure names the column. */
function column<T>(name: string, problem: ImportProblem, schema: z.ZodType<T>, value: string | undefined): T {
  const parsed = schema.safeParse(value ?? '');
  if (!parsed.success) throw new ColumnError(name, problem, firstIssue(parsed.error));
  return parsed.data;
}

/** The input schemas' field paths that come from a differently named column. */
const columnOfPath: Record<string, string> = { 'customer.channel': 'channel', 'customer.externalId': 'externalId' };

function failure(rows: number[], key: string, error: unknown): ImportError {
  if (error instanceof ColumnError) {
    return { rows, key, column: error.column, problem: error.problem, error: error.message };
  }
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    const col = columnOfPath[path] ?? (path.includes('.') ? path.split('.').at(-1) : path);
    return { rows, key, ...(col ? { column: col } : {}), problem: 'invalid', error: issue?.message ?? 'invalid value' };
  }
  return { rows, key, problem: 'not_saved', error: error instanceof Error ? error.message : String(error) };
}

const optional = (value: string | undefined) => (value ? value : undefined);

/** "79.9" yuan → 7990 fen; shop owners think in yuan, the database in fen. */
export const Yuan = z
  .string()
  .trim()
  .regex(/^\d+(\.\d{1,2})?$/, 'expected an amount in yuan such as 79 or 79.90')
  .transform((v) => Math.round(Number(v) * 100));

const Count = (min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(10_000_000));

const Bool = z
  .string()
  .trim()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['true', 'false', 'yes', 'no', '1', '0', '是', '否'], 'expected true/false, yes/no, 1/0 or 是/否'))
  .transform((v) => ['true', 'yes', '1', '是'].includes(v));

const wallClock = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A date or time as spreadsheets write it: ISO 8601 with an offset, or a plain "2026-11-29",
 * "2026/11/29 14:30" read on the shop's clock.
 */
function shopTime(timeZone: string) {
  return z
    .string()
    .trim()
    .transform((text, ctx) => {
      if (z.iso.datetime({ offset: true }).safeParse(text).success) return text;
      const m = wallClock.exec(text);
      const [year, month, day, hour, minute, second] = (m?.slice(1) ?? []).map((v) => Number(v ?? 0));
      const valid = m && month !== undefined && day !== undefined && month >= 1 && month <= 12 && day >= 1 && day <= 31;
      if (!valid || (hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59) {
        ctx.addIssue({ code: 'custom', message: 'expected a date such as 2026-11-29 or 2026-11-29 14:30' });
        return z.NEVER;
      }
      const at = instantOf(
        { year: year ?? 0, month, day, hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0 },
        timeZone,
      );
      // 2026-02-30 rolls over in Date.UTC; the shop meant a day that does not exist.
      if (Number(at.toLocaleString('en-US', { timeZone, day: 'numeric' })) !== day) {
        ctx.addIssue({ code: 'custom', message: `there is no day ${text}` });
        return z.NEVER;
      }
      return at.toISOString();
    });
}

/** One validated record, ready to write. */
interface Prepared {
  rows: number[];
  key: string;
  write: (actor: Actor) => Promise<unknown>;
}

export class ImportService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly orders: OrderService,
    private readonly timeZone: string,
  ) {}

  /** Validates the file and reports what `apply` would do; writes nothing. */
  preview(kind: ImportKind, file: Uint8Array): Promise<ImportReport> {
    return this.run(kind, file, null);
  }

  /** Writes the file's valid records (each in its own transaction) and reports the rest. */
  apply(kind: ImportKind, file: Uint8Array, actor: Actor): Promise<ImportReport> {
    return this.run(kind, file, actor);
  }

  private async run(kind: ImportKind, file: Uint8Array, actor: Actor | null): Promise<ImportReport> {
    const table = this.table(kind, file);
    const failed: ImportError[] = table.problems.map((p) => ({
      rows: [p.row],
      key: '',
      problem: 'field_count',
      error: p.error,
    }));
    const prepared: Prepared[] = [];
    for (const record of this.records(kind, table.rows)) {
      try {
        prepared.push(record.prepare());
      } catch (error) {
        failed.push(failure(record.rows, record.key, error));
      }
    }
    let imported = 0;
    if (actor) {
      for (const record of prepared) {
        try {
          await record.write(actor);
          imported++;
        } catch (error) {
          failed.push(failure(record.rows, record.key, error));
        }
      }
    }
    failed.sort((a, b) => (a.rows[0] ?? 0) - (b.rows[0] ?? 0));
    const known = new Set([...columnsOf[kind].required, ...columnsOf[kind].optional]);
    return {
      kind,
      encoding: table.encoding,
      dryRun: actor === null,
      records: prepared.length + failed.length,
      valid: prepared.length,
      imported,
      failed,
      ignoredColumns: table.columns.filter((c) => c !== '' && !known.has(c)),
    };
  }

  private table(kind: ImportKind, file: Uint8Array) {
    try {
      const table = readCsv(file);
      const missing = columnsOf[kind].required.filter((c) => !table.columns.includes(c));
      if (missing.length > 0) {
        throw new InvalidInputError(`the header lacks the column(s) ${missing.join(', ')} that ${kind} need`);
      }
      return table;
    } catch (error) {
      if (error instanceof CsvFileError) throw new InvalidInputError(error.message);
      throw error;
    }
  }

  private records(kind: ImportKind, rows: CsvRow[]): Array<{ rows: number[]; key: string; prepare: () => Prepared }> {
    if (kind === 'orders') return this.orderRecords(rows);
    return rows.map(({ row, fields }) => {
      const key = (kind === 'products' ? fields.sku : fields.question) ?? '';
      return {
        rows: [row],
        key,
        prepare: () => (kind === 'products' ? this.product(row, key, fields) : this.faq(row, key, fields)),
      };
    });
  }

  private product(row: number, key: string, fields: Record<string, string>): Prepared {
    const sku = column('sku', 'invalid', Sku, key);
    const input = ProductInput.parse({
      name: fields.name,
      nameEn: optional(fields.nameEn),
      price: column('price', 'amount', Yuan, fields.price),
      stock: fields.stock ? column('stock', 'whole_number', Count(0), fields.stock) : 0,
      category: optional(fields.category),
      description: optional(fields.description),
      descriptionEn: optional(fields.descriptionEn),
      attributes: fields.attributes ? parseAttributeText(fields.attributes) : undefined,
      attributesEn: fields.attributesEn ? parseAttributeText(fields.attributesEn) : undefined,
      returnable: fields.returnable ? column('returnable', 'yes_no', Bool, fields.returnable) : undefined,
      url: optional(fields.url),
    });
    return { rows: [row], key, write: (actor) => this.catalog.upsertProduct(sku, input, actor) };
  }

  private faq(row: number, key: string, fields: Record<string, string>): Prepared {
    const input = FaqInput.parse({
      question: fields.question,
      answer: fields.answer,
      questionEn: optional(fields.questionEn),
      answerEn: optional(fields.answerEn),
      keywords: fields.keywords
        ? fields.keywords
            .split('|')
            .map((k) => k.trim())
            .filter(Boolean)
        : undefined,
      category: optional(fields.category),
    });
    return { rows: [row], key, write: (actor) => this.catalog.saveFaq(input, actor) };
  }

  private orderRecords(rows: CsvRow[]) {
    const groups = new Map<string, CsvRow[]>();
    for (const row of rows) {
      const orderNo = row.fields.orderNo ?? '';
      groups.set(orderNo, [...(groups.get(orderNo) ?? []), row]);
    }
    return [...groups].map(([orderNo, group]) => ({
      rows: group.map((r) => r.row),
      key: orderNo,
      prepare: () => this.order(orderNo, group),
    }));
  }

  private order(orderNo: string, group: CsvRow[]): Prepared {
    const numbers = group.map((r) => r.row);
    const first = group[0]?.fields ?? {};
    const items = group.map(({ row, fields }) => {
      try {
        return {
          sku: fields.sku ?? '',
          name: fields.itemName || fields.sku || '',
          qty: fields.qty ? column('qty', 'whole_number', Count(1), fields.qty) : 1,
          price: column('price', 'amount', Yuan, fields.price),
        };
      } catch (error) {
        if (error instanceof ColumnError)
          throw new ColumnError(error.column, error.problem, `row ${row}: ${error.message}`);
        throw error;
      }
    });
    const time = shopTime(this.timeZone);
    const input = OrderInput.parse({
      orderNo,
      customer: {
        channel: first.channel,
        externalId: first.externalId,
        name: optional(first.name),
        phone: optional(first.phone),
      },
      items,
      total: first.total
        ? column('total', 'amount', Yuan, first.total)
        : items.reduce((sum, i) => sum + i.qty * i.price, 0),
      status: first.status,
      carrier: optional(first.carrier),
      trackingNo: optional(first.trackingNo),
      placedAt: first.placedAt ? column('placedAt', 'date', time, first.placedAt) : undefined,
      expectedDeliveryAt: first.expectedDeliveryAt
        ? column('expectedDeliveryAt', 'date', time, first.expectedDeliveryAt)
        : undefined,
    });
    return { rows: numbers, key: orderNo, write: (actor) => this.orders.upsert(input, actor) };
  }
}
