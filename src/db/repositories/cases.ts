import type { CasePriority, CaseStage, CaseStatus, CaseType } from '../../domain/cases.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Case, CaseNote, JsonObject } from '../types.ts';

export interface NewCase {
  caseNo: string;
  type: CaseType;
  customerId: number;
  conversationId?: number | null;
  orderId?: number | null;
  orderItemId?: number | null;
  reason?: string | null;
  description?: string | null;
  photoRef?: string | null;
  amount?: number | null;
  priority?: CasePriority;
  severity?: number;
  dedupeKey?: string | null;
  data?: JsonObject;
  firstResponseDueAt?: Date | null;
  resolutionDueAt?: Date | null;
  createdAt: Date;
}

export interface CasePatch {
  status?: CaseStatus;
  stage?: CaseStage | null;
  priority?: CasePriority;
  assigneeId?: number | null;
  data?: JsonObject;
  firstRespondedAt?: Date;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
}

export interface CaseFilter {
  status?: CaseStatus;
  type?: CaseType;
  customerId?: number;
  stage?: CaseStage;
  /** Part of the case number ("0012", "AS2026"). */
  caseNo?: string;
  take: number;
  skip: number;
}

/** A case as a list shows it: with the names staff recognise it by. */
export type CaseListItem = Case & { customerName: string | null; orderNo: string | null };

export class CaseRepository {
  constructor(private readonly db: PrismaTx) {}

  async forCustomer(customerId: number, take = 20): Promise<Case[]> {
    return (await this.db.case.findMany({ where: { customerId }, orderBy: { id: 'desc' }, take })).map(rows.case);
  }

  async byNo(caseNo: string): Promise<Case | null> {
    const found = await this.db.case.findUnique({ where: { caseNo } });
    return found && rows.case(found);
  }

  async byDedupeKey(dedupeKey: string): Promise<Case | null> {
    const found = await this.db.case.findUnique({ where: { dedupeKey } });
    return found && rows.case(found);
  }

  countWithPrefix(prefix: string): Promise<number> {
    return this.db.case.count({ where: { caseNo: { startsWith: prefix } } });
  }

  async create(input: NewCase): Promise<Case> {
    return rows.case(await this.db.case.create({ data: input }));
  }

  async update(id: number, patch: CasePatch): Promise<Case> {
    return rows.case(await this.db.case.update({ where: { id }, data: patch }));
  }

  async list(filter: CaseFilter): Promise<CaseListItem[]> {
    const found = await this.db.case.findMany({
      where: {
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.stage ? { stage: filter.stage } : {}),
        ...(filter.customerId ? { customerId: filter.customerId } : {}),
        ...(filter.caseNo ? { caseNo: { contains: filter.caseNo.toUpperCase() } } : {}),
      },
      include: { customer: { select: { name: true } }, order: { select: { orderNo: true } } },
      orderBy: { id: 'desc' },
      take: filter.take,
      skip: filter.skip,
    });
    return found.map(({ customer, order, ...row }) => ({
      ...rows.case(row),
      customerName: customer.name,
      orderNo: order?.orderNo ?? null,
    }));
  }

  addNote(caseId: number, text: string, staffId: number | null, internal: boolean, at: Date): Promise<CaseNote> {
    return this.db.caseNote.create({ data: { caseId, text, staffId, internal, createdAt: at } });
  }

  notes(caseId: number): Promise<CaseNote[]> {
    return this.db.caseNote.findMany({ where: { caseId }, orderBy: { id: 'asc' } });
  }
}
