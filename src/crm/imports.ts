// CSV import of products, FAQs and orders. Each record is validated with the same zod schemas as the
// API and written in its own transaction: valid records land, invalid ones are listed with their row
// number and reason, and no record is ever half-written. Orders span several rows (one per item); an
// order is the unit, so one bad item row rejects that whole order and lists all of its rows.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { CatalogService } from './catalog.ts';
import { FaqInput, ProductInput, Sku } from './catalog.ts';
import type { Actor } from './context.ts';
import { OrderInput, type OrderService } from './orders.ts';

export interface ImportError {
  /** Data row numbers (1 = the first row after the header). */
  rows: number[];
  key: string;
  error: string;
}

export interface ImportReport {
  imported: number;
  failed: ImportError[];
}

export const importKinds = ['products', 'faqs', 'orders'] as const;
export type ImportKind = (typeof importKinds)[number];

type Row = { row: number; fields: Record<string, string> };

function rowsOf(csv: string): Row[] {
  const records = parse(csv, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  const [header, ...body] = records;
  if (!header) return [];
  const names = header.map((h) => h.trim());
  return body.map((values, index) => ({
    row: index + 1,
    fields: Object.fromEntries(names.map((name, i) => [name, values[i] ?? ''])),
  }));
}

function message(error: unknown): string {
  if (error instanceof z.ZodError) {
    return error.issues
      .slice(0, 3)
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}

const optional = (value: string | undefined) => (value ? value : undefined);

/** "79.9" yuan → 7990 fen; shop owners think in yuan, the database in fen. */
export const Yuan = z
  .string()
  .trim()
  .regex(/^\d+(\.\d{1,2})?$/, 'expected an amount in yuan such as 79 or 79.90')
  .transform((v) => Math.round(Number(v) * 100));

const Bool = z
  .string()
  .trim()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['true', 'false', 'yes', 'no', '1', '0', '是', '否']))
  .transform((v) => ['true', 'yes', '1', '是'].includes(v));

/** "尺码=S|M|L; 颜色=白色|黑色; 材质=纯棉" */
function parseAttributes(value: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const part of value.split(/[;；]/)) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const key = part.slice(0, at).trim();
    const values = part
      .slice(at + 1)
      .split('|')
      .map((v) => v.trim())
      .filter(Boolean);
    out[key] = values.length === 1 && !part.includes('|') ? (values[0] ?? '') : values;
  }
  return out;
}

export class ImportService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly orders: OrderService,
  ) {}

  async run(kind: ImportKind, csv: string, actor: Actor): Promise<ImportReport> {
    if (kind === 'products') return this.products(csv, actor);
    if (kind === 'faqs') return this.faqs(csv, actor);
    return this.ordersCsv(csv, actor);
  }

  async products(csv: string, actor: Actor): Promise<ImportReport> {
    const report: ImportReport = { imported: 0, failed: [] };
    for (const { row, fields } of rowsOf(csv)) {
      const key = fields.sku ?? '';
      try {
        const sku = Sku.parse(key);
        const input = ProductInput.parse({
          name: fields.name,
          nameEn: optional(fields.nameEn),
          price: Yuan.parse(fields.price ?? ''),
          stock: z.coerce
            .number()
            .int()
            .min(0)
            .parse(fields.stock || '0'),
          category: optional(fields.category),
          description: optional(fields.description),
          descriptionEn: optional(fields.descriptionEn),
          attributes: fields.attributes ? parseAttributes(fields.attributes) : undefined,
          returnable: fields.returnable ? Bool.parse(fields.returnable) : undefined,
          url: optional(fields.url),
        });
        await this.catalog.upsertProduct(sku, input, actor);
        report.imported++;
      } catch (error) {
        report.failed.push({ rows: [row], key, error: message(error) });
      }
    }
    return report;
  }

  async faqs(csv: string, actor: Actor): Promise<ImportReport> {
    const report: ImportReport = { imported: 0, failed: [] };
    for (const { row, fields } of rowsOf(csv)) {
      const key = fields.question ?? '';
      try {
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
        await this.catalog.saveFaq(input, actor);
        report.imported++;
      } catch (error) {
        report.failed.push({ rows: [row], key, error: message(error) });
      }
    }
    return report;
  }

  async ordersCsv(csv: string, actor: Actor): Promise<ImportReport> {
    const report: ImportReport = { imported: 0, failed: [] };
    const groups = new Map<string, Row[]>();
    for (const row of rowsOf(csv)) {
      const orderNo = row.fields.orderNo ?? '';
      groups.set(orderNo, [...(groups.get(orderNo) ?? []), row]);
    }
    for (const [orderNo, rows] of groups) {
      const numbers = rows.map((r) => r.row);
      try {
        const first = rows[0]?.fields ?? {};
        const items = rows.map(({ row, fields }) => {
          try {
            return {
              sku: fields.sku ?? '',
              name: fields.itemName ?? '',
              qty: z.coerce
                .number()
                .int()
                .min(1)
                .parse(fields.qty || '1'),
              price: Yuan.parse(fields.price ?? ''),
            };
          } catch (error) {
            throw new Error(`row ${row}: ${message(error)}`);
          }
        });
        const input = OrderInput.parse({
          orderNo,
          customer: {
            channel: first.channel,
            externalId: first.externalId,
            name: optional(first.name),
            phone: optional(first.phone),
          },
          items,
          total: first.total ? Yuan.parse(first.total) : items.reduce((sum, i) => sum + i.qty * i.price, 0),
          status: first.status,
          carrier: optional(first.carrier),
          trackingNo: optional(first.trackingNo),
          placedAt: optional(first.placedAt),
          expectedDeliveryAt: optional(first.expectedDeliveryAt),
        });
        await this.orders.upsert(input, actor);
        report.imported++;
      } catch (error) {
        report.failed.push({ rows: numbers, key: orderNo, error: message(error) });
      }
    }
    return report;
  }
}
