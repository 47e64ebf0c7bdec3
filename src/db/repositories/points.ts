import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { PointsEntry } from '../types.ts';

export class PointsRepository {
  constructor(private readonly db: PrismaTx) {}

  async forCustomer(customerId: number, take = 50): Promise<PointsEntry[]> {
    return (await this.db.pointsEntry.findMany({ where: { customerId }, orderBy: { id: 'desc' }, take })).map(
      rows.pointsEntry,
    );
  }
}
