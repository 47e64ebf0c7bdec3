// The hot reads (../hot-reads.ts) as prepared statements on the fast-path connection. Reads share
// the gate, so they never run while an ORM transaction is open.
import type Database from 'better-sqlite3';
import type { ChannelName } from '../../domain/channels.ts';
import { type Row, readOrder, readOrderEvent, readOrderItem } from '../hot/rows.ts';
import { bool, dateOrNull, int, timestamp } from '../hot/values.ts';
import type { ExpiringPoints, HotReads } from '../hot-reads.ts';
import type { OrderWithItems } from '../repositories/orders.ts';
import type { ReadWriteGate } from '../rw-lock.ts';

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null;

export class SqliteHotReads implements HotReads {
  private readonly sql;

  constructor(
    db: Database.Database,
    private readonly gate: ReadWriteGate,
  ) {
    this.sql = {
      orders: db.prepare(`SELECT * FROM "Order" WHERE "customerId" = ? ORDER BY "placedAt" DESC LIMIT ?`),
      items: db.prepare(
        `SELECT * FROM "OrderItem" WHERE "orderId" IN (SELECT "value" FROM json_each(?)) ORDER BY "id"`,
      ),
      events: db.prepare(
        `SELECT * FROM "OrderEvent" WHERE "orderId" IN (SELECT "value" FROM json_each(?)) ORDER BY "at", "id"`,
      ),
      balance: db.prepare(`SELECT "pointsBalance" FROM "Customer" WHERE "id" = ?`),
      canMessage: db.prepare(`SELECT "canMessage" FROM "Identity" WHERE "channel" = ? AND "externalId" = ?`),
      expiring: db.prepare(
        `SELECT COALESCE(SUM("remaining"), 0) AS "points", MIN("expiresAt") AS "at" FROM "PointsEntry"
         WHERE "customerId" = ? AND "remaining" > 0 AND "expiresAt" <= ?`,
      ),
    };
  }

  recentOrders(customerId: number, take: number): Promise<OrderWithItems[]> {
    return this.gate.sharedSync(() => {
      const orders = this.sql.orders.all(customerId, take).filter(isRow).map(readOrder);
      if (orders.length === 0) return [];
      const ids = JSON.stringify(orders.map((o) => o.id));
      const items = this.sql.items.all(ids).filter(isRow).map(readOrderItem);
      const events = this.sql.events.all(ids).filter(isRow).map(readOrderEvent);
      return orders.map((order) => ({
        ...order,
        items: items.filter((i) => i.orderId === order.id),
        events: events.filter((e) => e.orderId === order.id),
      }));
    });
  }

  pointsBalance(customerId: number): Promise<number> {
    return this.gate.sharedSync(() => {
      const row: unknown = this.sql.balance.get(customerId);
      return isRow(row) ? int(row.pointsBalance) : 0;
    });
  }

  expiringPoints(customerId: number, before: Date): Promise<ExpiringPoints> {
    return this.gate.sharedSync(() => {
      const row: unknown = this.sql.expiring.get(customerId, timestamp(before));
      return isRow(row) ? { points: int(row.points), at: dateOrNull(row.at) } : { points: 0, at: null };
    });
  }

  canMessage(channel: ChannelName, externalId: string): Promise<boolean | undefined> {
    return this.gate.sharedSync(() => {
      const row: unknown = this.sql.canMessage.get(channel, externalId);
      return isRow(row) ? bool(row.canMessage) : undefined;
    });
  }
}
