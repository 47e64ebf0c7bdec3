// Bulk inserts for data generators (benchmarks, large tests): many rows per statement.
import type { PrismaTx } from '../client.ts';
import { insertMany, type Provider } from './raw.ts';

export interface BulkCustomer {
  id: number;
  name: string;
  tier?: string;
  marketingOptIn?: boolean;
  createdAt: Date;
}

export interface BulkOrder {
  id: number;
  orderNo: string;
  customerId: number;
  status: string;
  total: number;
  placedAt: Date;
}

export class BulkRepository {
  constructor(
    private readonly db: PrismaTx,
    private readonly provider: Provider,
  ) {}

  customers(rows: BulkCustomer[]): Promise<void> {
    return insertMany(
      this.db,
      this.provider,
      'Customer',
      ['id', 'name', 'tier', 'marketingOptIn', 'createdAt', 'updatedAt', 'firstSeenAt', 'lastSeenAt'],
      rows.map((c) => [
        c.id,
        c.name,
        c.tier ?? 'normal',
        c.marketingOptIn !== false,
        c.createdAt,
        c.createdAt,
        c.createdAt,
        c.createdAt,
      ]),
    );
  }

  identities(rows: { customerId: number; channel: string; externalId: string; at: Date }[]): Promise<void> {
    return insertMany(
      this.db,
      this.provider,
      'Identity',
      ['customerId', 'channel', 'externalId', 'createdAt', 'lastSeenAt'],
      rows.map((r) => [r.customerId, r.channel, r.externalId, r.at, r.at]),
    );
  }

  chats(rows: { channel: string; externalId: string; kind: string }[]): Promise<void> {
    return insertMany(
      this.db,
      this.provider,
      'Chat',
      ['channel', 'externalId', 'kind', 'createdAt'],
      rows.map((r) => [r.channel, r.externalId, r.kind, new Date(0)]),
    );
  }

  orders(rows: BulkOrder[]): Promise<void> {
    return insertMany(
      this.db,
      this.provider,
      'Order',
      ['id', 'orderNo', 'customerId', 'status', 'total', 'placedAt', 'createdAt', 'updatedAt'],
      rows.map((o) => [o.id, o.orderNo, o.customerId, o.status, o.total, o.placedAt, o.placedAt, o.placedAt]),
    );
  }

  /**
   * SQLite only, for benchmarks: generates customers and orders inside the database with a recursive
   * CTE (seconds instead of minutes). Values come from integer hashes of the row number, so every
   * run produces the same data. Order amounts, dates and owners are skewed like a real shop.
   */
  async generateSqlite(input: { customers: number; orders: number; now: Date; days: number }): Promise<void> {
    const base = input.now.toISOString().slice(0, 19);
    const c = Math.trunc(input.customers);
    const days = Math.trunc(input.days);
    await this.db.$executeRawUnsafe(
      `INSERT INTO "Customer" ("id", "name", "tier", "marketingOptIn", "createdAt", "updatedAt", "firstSeenAt", "lastSeenAt")
       WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${c})
       SELECT i, '客户' || i, 'normal', (i % 10) <> 0,
              strftime('%Y-%m-%dT%H:%M:%f', '${base}', '-' || ((i * 7919) % 900) || ' days') || '+00:00',
              '${base}.000+00:00',
              strftime('%Y-%m-%dT%H:%M:%f', '${base}', '-' || ((i * 7919) % 900) || ' days') || '+00:00',
              strftime('%Y-%m-%dT%H:%M:%f', '${base}', '-' || ((i * 104729) % 200) || ' days') || '+00:00'
       FROM seq`,
    );
    // Owner: squaring a hash in [0,1) skews orders towards low ids (a few heavy buyers, a long tail,
    // and the top 10% of ids never order: prospects).
    await this.db.$executeRawUnsafe(
      `INSERT INTO "Order" ("id", "orderNo", "customerId", "status", "total", "placedAt", "createdAt", "updatedAt")
       WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${Math.trunc(input.orders)}),
       h(i, a, b, d) AS (SELECT i, ((i * 2654435761) % 1000003) / 1000003.0, (i * 40503) % 97, (i * 69069 + 7) % ${days} FROM seq)
       SELECT i, 'B' || i, 1 + CAST(a * a * ${Math.floor(c * 0.9)} AS INTEGER), CASE WHEN b < 5 THEN 'cancelled' ELSE 'completed' END,
              1000 + (i * 7) % 50000,
              strftime('%Y-%m-%dT%H:%M:%f', '${base}', '-' || d || ' days', '-' || (i % 86400) || ' seconds') || '+00:00',
              '${base}.000+00:00', '${base}.000+00:00'
       FROM h`,
    );
  }

  /** SQLite only, for benchmarks: what the order service's refreshTotals keeps, for every customer at once. */
  async fillTotalsSqlite(): Promise<void> {
    await this.db.$executeRawUnsafe(
      `UPDATE "Customer" SET "totalSpent" = o."spent", "orderCount" = o."n", "firstOrderAt" = o."firstAt", "lastOrderAt" = o."lastAt"
       FROM (SELECT "customerId", COUNT(*) AS "n", SUM("total" - "refundedAmount") AS "spent", MIN("placedAt") AS "firstAt", MAX("placedAt") AS "lastAt"
             FROM "Order" NOT INDEXED WHERE "status" NOT IN ('cancelled', 'pending_payment') GROUP BY "customerId") o
       WHERE "Customer"."id" = o."customerId"`,
    );
  }

  /** SQLite only, for benchmarks: a day of order activity (every `every`-th order refunded or re-touched). */
  async touchOrdersSqlite(every: number, at: Date): Promise<number> {
    return this.db.$executeRawUnsafe(
      `UPDATE "Order" SET "updatedAt" = '${at.toISOString().replace('Z', '+00:00')}',
              "refundedAmount" = CASE WHEN "id" % ${Math.trunc(every) * 2} = 0 THEN "total" / 2 ELSE "refundedAmount" END
       WHERE "id" % ${Math.trunc(every)} = 0`,
    );
  }
}
