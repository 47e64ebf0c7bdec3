import type { PrismaTx } from '../client.ts';
import type { Case } from '../types.ts';

export class CaseRepository {
  constructor(private readonly db: PrismaTx) {}

  forCustomer(customerId: number, take = 20): Promise<Case[]> {
    return this.db.case.findMany({ where: { customerId }, orderBy: { id: 'desc' }, take });
  }

  byNo(caseNo: string): Promise<Case | null> {
    return this.db.case.findUnique({ where: { caseNo } });
  }
}
