import type { PrismaTx } from '../client.ts';
import type { PointsEntry } from '../types.ts';

export class PointsRepository {
  constructor(private readonly db: PrismaTx) {}

  forCustomer(customerId: number, take = 50): Promise<PointsEntry[]> {
    return this.db.pointsEntry.findMany({ where: { customerId }, orderBy: { id: 'desc' }, take });
  }
}
