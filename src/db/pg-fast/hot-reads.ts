// The hot reads (../hot-reads.ts) as prepared statements on the PostgreSQL pool; the same queries as
// sqlite-fast/hot-reads.ts, with an array parameter where SQLite uses json_each.
import type pg from 'pg';
import type { ChannelName } from '../../domain/channels.ts';
import { readOrder, readOrderEvent, readOrderItem } from '../hot/rows.ts';
import { bool, dateOrNull, int } from '../hot/values.ts';
import type { ExpiringPoints, HotReads } from '../hot-reads.ts';
import type { OrderWithItems } from '../repositories/orders.ts';
import { firstOf, pgTime, rowsOf } from './pool.ts';

const SQL = {
  orders: `SELECT * FROM "Order" WHERE "customerId" = $1 ORDER BY "placedAt" DESC LIMIT $2`,
  items: `SELECT * FROM "OrderItem" WHERE "orderId" = ANY($1::int[]) ORDER BY "id"`,
  events: `SELECT * FROM "OrderEvent" WHERE "orderId" = ANY($1::int[]) ORDER BY "at", "id"`,
  balance: `SELECT "pointsBalance" FROM "Customer" WHERE "id" = $1`,
  canMessage: `SELECT "canMessage" FROM "Identity" WHERE "channel" = $1 AND "externalId" = $2`,
  expiring: `SELECT COALESCE(SUM("remaining"), 0) AS "points", MIN("expiresAt") AS "at" FROM "PointsEntry"
     WHERE "customerId" = $1 AND "remaining" > 0 AND "expiresAt" <= $2`,
} as const;

export class PgHotReads implements HotReads {
  constructor(private readonly pool: pg.Pool) {}

  async recentOrders(customerId: number, take: number): Promise<OrderWithItems[]> {
    const orders = (await rowsOf(this.pool, 'reads.orders', SQL.orders, [customerId, take])).map(readOrder);
    if (orders.length === 0) return [];
    const ids = orders.map((o) => o.id);
    const [items, events] = await Promise.all([
      rowsOf(this.pool, 'reads.items', SQL.items, [ids]),
      rowsOf(this.pool, 'reads.events', SQL.events, [ids]),
    ]);
    const itemRows = items.map(readOrderItem);
    const eventRows = events.map(readOrderEvent);
    return orders.map((order) => ({
      ...order,
      items: itemRows.filter((i) => i.orderId === order.id),
      events: eventRows.filter((e) => e.orderId === order.id),
    }));
  }

  async pointsBalance(customerId: number): Promise<number> {
    const row = await firstOf(this.pool, 'reads.balance', SQL.balance, [customerId]);
    return row ? int(row.pointsBalance) : 0;
  }

  async expiringPoints(customerId: number, before: Date): Promise<ExpiringPoints> {
    const row = await firstOf(this.pool, 'reads.expiring', SQL.expiring, [customerId, pgTime(before)]);
    return row ? { points: int(row.points), at: dateOrNull(row.at) } : { points: 0, at: null };
  }

  async canMessage(channel: ChannelName, externalId: string): Promise<boolean | undefined> {
    const row = await firstOf(this.pool, 'reads.canMessage', SQL.canMessage, [channel, externalId]);
    return row ? bool(row.canMessage) : undefined;
  }
}
