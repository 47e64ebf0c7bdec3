// Cases: after-sale requests, complaints (from escalation) and recovery cases (low survey scores).
// One entry point for every kind, `open`, makes the case number, logs the `case.opened` profile event
// and the audit entry, and guards against duplicates with the unique `dedupeKey` in the database, so a
// double-clicked button or a replayed message returns the case already opened.
import type { NewCase } from '../db/repositories/cases.ts';
import { isUniqueViolation } from '../db/repositories/errors.ts';
import type { Case, CaseNote, JsonObject } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import { CaseUpdate } from '../domain/case-input.ts';
import { type CaseStage, type CaseStatus, type CaseType, caseNumberPrefix } from '../domain/cases.ts';
import { ForbiddenError, NotFoundError } from '../domain/errors.ts';
import { dayKey } from '../kernel/hours.ts';
import { interpolate, type Locale, type Message, msg } from '../kernel/i18n.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { assertCustomerInScope, customerInScope, isAgent } from './customer-access.ts';
import type { MessagingService } from './messaging.ts';
import { recordEvent } from './profile-events.ts';

/** What a case is opened with: the row as the repository writes it, less what `open` decides (number, time). */
export type OpenCase = Omit<NewCase, 'caseNo' | 'createdAt' | 'dedupeKey'> & {
  /** Same key, same case: replays and double clicks never open a second one. */
  dedupeKey: string;
};

export const stageText: Record<CaseStage, Message> = {
  approved: msg('已通过审核', 'has been approved'),
  return_address_sent: msg('请将商品寄回：{address}', 'please send the item back to: {address}'),
  received: msg('我们已收到退回的商品', 'we have received the returned item'),
  refunded: msg('已退款，款项将原路退回', 'has been refunded to your original payment method'),
  shipped: msg('换货商品已寄出', 'the replacement has shipped'),
  rejected: msg('未通过审核', 'was not approved'),
};
const statusText: Record<CaseStatus, Message> = {
  open: msg('处理中', 'open'),
  in_progress: msg('处理中', 'in progress'),
  resolved: msg('已解决', 'resolved'),
  closed: msg('已关闭', 'closed'),
};
const stageNotice = msg('🔧 售后单 {caseNo}：{stage}{message}', '🔧 Case {caseNo}: {stage}{message}');
const statusNotice = msg('🔧 售后单 {caseNo} 状态：{status}{message}', '🔧 Case {caseNo} is now {status}{message}');

export function caseStatusLabel(status: CaseStatus, locale: 'zh-CN' | 'en'): string {
  return statusText[status][locale];
}

export function caseStageLabel(stage: CaseStage | null, locale: 'zh-CN' | 'en', address = ''): string | undefined {
  return stage === null ? undefined : interpolate(stageText[stage][locale], { address });
}

function ymd(at: Date, timeZone: string): string {
  return dayKey(at, timeZone).replace(/-/g, '');
}

const MAX_NUMBER_ATTEMPTS = 5;

export class CaseService {
  private readonly resolvedListeners: Array<(row: Case) => Promise<unknown>> = [];

  constructor(
    private readonly deps: ServiceDeps,
    private readonly messaging: MessagingService,
  ) {}

  /** Called once per case that staff move to resolved (the CSAT survey hooks in here). */
  onResolved(listener: (row: Case) => Promise<unknown>): void {
    this.resolvedListeners.push(listener);
  }

  /**
   * Opens a case, or returns the one already opened with this dedupeKey (`created: false`).
   * Runs its own transactions: call it outside a transaction (PostgreSQL aborts a transaction on a
   * unique violation, and the retry needs a fresh one).
   */
  async open(input: OpenCase): Promise<{ case: Case; created: boolean }> {
    const existing = await this.deps.store.repos.cases.byDedupeKey(input.dedupeKey);
    if (existing) return { case: existing, created: false };
    const now = this.deps.clock.now();
    const prefix = `${caseNumberPrefix(input.type)}${ymd(now, this.deps.config.shop.timezone)}-`;
    for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
      try {
        const created = await this.deps.store.transaction(async (repos) => {
          const seq = (await repos.cases.countWithPrefix(prefix)) + 1 + attempt;
          const row = await repos.cases.create({
            ...input,
            caseNo: `${prefix}${String(seq).padStart(4, '0')}`,
            createdAt: now,
          });
          await recordEvent(repos, now, {
            customerId: input.customerId,
            conversationId: input.conversationId ?? null,
            text: `case ${row.caseNo} opened (${row.type})`,
            event: { type: 'case.opened', caseNo: row.caseNo, caseType: row.type },
          });
          await audit(repos, now, {
            actor: { type: 'customer', customerId: input.customerId },
            action: 'case.open',
            entity: 'case',
            entityId: row.caseNo,
            details: { type: row.type },
          });
          return row;
        });
        return { case: created, created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const raced = await this.deps.store.repos.cases.byDedupeKey(input.dedupeKey);
        if (raced) return { case: raced, created: false };
      }
    }
    throw new Error('could not allocate a case number');
  }

  async byDedupeKey(dedupeKey: string): Promise<Case | undefined> {
    return (await this.deps.store.repos.cases.byDedupeKey(dedupeKey)) ?? undefined;
  }

  /** A case as staff see it: agents only the cases of customers in their scope (else not found). */
  async get(caseNo: string, actor: Actor): Promise<Case & { notes: CaseNote[] }> {
    const row = await this.inScope(caseNo, actor);
    return { ...row, notes: await this.deps.store.repos.cases.notes(row.id) };
  }

  private async inScope(caseNo: string, actor: Actor): Promise<Case> {
    const row = await this.deps.store.repos.cases.byNo(caseNo.toUpperCase());
    // Another customer's case reads as unknown to an agent, like the customer itself.
    if (!row || !(await customerInScope(this.deps.store.repos, actor, row.customerId))) {
      throw new NotFoundError(`case ${caseNo}`);
    }
    return row;
  }

  /** A customer's own case, or undefined (another customer's number reads as unknown). */
  async forCustomer(customerId: number, caseNo: string): Promise<Case | undefined> {
    const row = await this.deps.store.repos.cases.byNo(caseNo.toUpperCase());
    return row && row.customerId === customerId ? row : undefined;
  }

  /** Cases by filter; an agent lists only one customer's, a customer in their scope. */
  async list(
    filter: {
      status?: CaseStatus;
      type?: CaseType;
      stage?: CaseStage;
      customerId?: number;
      caseNo?: string;
      take: number;
      skip: number;
    },
    actor: Actor,
  ) {
    if (isAgent(actor)) {
      if (filter.customerId === undefined) throw new ForbiddenError('agents list the cases of one customer at a time');
      await assertCustomerInScope(this.deps.store.repos, actor, filter.customerId);
    }
    return this.deps.store.repos.cases.list(filter);
  }

  /** Staff changes status/stage; the customer hears about each real change once. */
  async update(caseNo: string, input: CaseUpdate, actor: Actor): Promise<Case> {
    const patch = CaseUpdate.parse(input);
    await this.inScope(caseNo, actor);
    const now = this.deps.clock.now();
    const { row, changedStage, changedStatus } = await this.deps.store.transaction(async (repos) => {
      const current = await repos.cases.byNo(caseNo.toUpperCase());
      if (!current) throw new NotFoundError(`case ${caseNo}`);
      const changedStage = patch.stage !== undefined && patch.stage !== current.stage;
      const changedStatus = patch.status !== undefined && patch.status !== current.status;
      const data: JsonObject = {
        ...(typeof current.data === 'object' && current.data !== null && !Array.isArray(current.data)
          ? current.data
          : {}),
        ...(patch.returnAddress ? { returnAddress: patch.returnAddress } : {}),
      };
      const row = await repos.cases.update(current.id, {
        ...(changedStage ? { stage: patch.stage } : {}),
        ...(changedStatus ? { status: patch.status } : {}),
        ...(patch.status === 'resolved' && changedStatus ? { resolvedAt: now } : {}),
        ...(patch.status === 'closed' && changedStatus ? { closedAt: now } : {}),
        ...(current.firstRespondedAt ? {} : { firstRespondedAt: now }),
        data,
      });
      await audit(repos, now, {
        actor,
        action: 'case.update',
        entity: 'case',
        entityId: row.caseNo,
        details: { status: patch.status ?? null, stage: patch.stage ?? null },
      });
      return { row, changedStage, changedStatus };
    });
    if (changedStatus && patch.status === 'resolved') {
      for (const listener of this.resolvedListeners) {
        await listener(row).catch((error: unknown) =>
          this.deps.log.error({ err: error, caseNo: row.caseNo }, 'case resolved listener failed'),
        );
      }
    }
    const address = patch.returnAddress ?? '';
    const extra = patch.message ? `\n${patch.message}` : '';
    // One notice per update: the new stage (with a button to the case) when it changed, else the new status.
    const stage = changedStage ? patch.stage : undefined;
    const status = changedStatus ? patch.status : undefined;
    const notice = stage
      ? (locale: Locale) =>
          interpolate(stageNotice[locale], {
            caseNo: row.caseNo,
            stage: interpolate(stageText[stage][locale], { address }),
            message: extra,
          })
      : status
        ? (locale: Locale) =>
            interpolate(statusNotice[locale], {
              caseNo: row.caseNo,
              status: statusText[status][locale],
              message: extra,
            })
        : undefined;
    if (notice) {
      await this.messaging.sendToCustomer(
        row.customerId,
        (locale) => ({
          text: notice(locale),
          ...(stage
            ? {
                buttons: [
                  { label: locale === 'en' ? 'Case status' : '售后进度', data: `aftersale:case:${row.caseNo}` },
                ],
              }
            : {}),
          private: true,
        }),
        { purpose: 'notification' },
      );
    }
    return row;
  }

  async addNote(caseNo: string, text: string, internal: boolean, actor: Actor): Promise<CaseNote> {
    await this.inScope(caseNo, actor);
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (repos) => {
      const row = await repos.cases.byNo(caseNo.toUpperCase());
      if (!row) throw new NotFoundError(`case ${caseNo}`);
      const note = await repos.cases.addNote(
        row.id,
        text,
        actor.type === 'staff' ? actor.staffId : null,
        internal,
        now,
      );
      await audit(repos, now, { actor, action: 'case.note', entity: 'case', entityId: row.caseNo });
      return note;
    });
  }
}
