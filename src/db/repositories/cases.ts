import type { PrismaTx } from '../client.ts';
import type { Case, CaseNote, JsonObject } from '../types.ts';

export interface NewCase {
  caseNo: string;
  type: string;
  customerId: number;
  conversationId?: number | null;
  orderId?: number | null;
  orderItemId?: number | null;
  reason?: string | null;
  description?: string | null;
  photoRef?: string | null;
  amount?: number | null;
  priority?: string;
  severity?: number;
  dedupeKey?: string | null;
  data?: JsonObject;
  firstResponseDueAt?: Date | null;
  resolutionDueAt?: Date | null;
  createdAt: Date;
}

export interface CasePatch {
  status?: string;
  stage?: string | null;
  priority?: string;
  assigneeId?: number | null;
  data?: JsonObject;
  firstRespondedAt?: Date;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
}

export interface CaseFilter {
  status?: string;
  type?: string;
  customerId?: number;
  stage?: string;
  take: number;
  skip: number;
}

export class CaseRepository {
  constructor(private readonly db: PrismaTx) {}

  forCustomer(customerId: number, take = 20): Promise<Case[]> {
    return this.db.case.findMany({ where: { customerId }, orderBy: { id: 'desc' }, take });
  }

  byNo(caseNo: string): Promise<Case | null> {
    return this.db.case.findUnique({ where: { caseNo } });
  }

  byDedupeKey(dedupeKey: string): Promise<Case | null> {
    return this.db.case.findUnique({ where: { dedupeKey } });
  }

  countWithPrefix(prefix: string): Promise<number> {
    return this.db.case.count({ where: { caseNo: { startsWith: prefix } } });
  }

  create(input: NewCase): Promise<Case> {
    return this.db.case.create({ data: input });
  }

  update(id: number, patch: CasePatch): Promise<Case> {
    return this.db.case.update({ where: { id }, data: patch });
  }

  list(filter: CaseFilter): Promise<Case[]> {
    return this.db.case.findMany({
      where: {
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.stage ? { stage: filter.stage } : {}),
        ...(filter.customerId ? { customerId: filter.customerId } : {}),
      },
      orderBy: { id: 'desc' },
      take: filter.take,
      skip: filter.skip,
    });
  }

  addNote(caseId: number, text: string, staffId: number | null, internal: boolean, at: Date): Promise<CaseNote> {
    return this.db.caseNote.create({ data: { caseId, text, staffId, internal, createdAt: at } });
  }

  notes(caseId: number): Promise<CaseNote[]> {
    return this.db.caseNote.findMany({ where: { caseId }, orderBy: { id: 'asc' } });
  }
}
