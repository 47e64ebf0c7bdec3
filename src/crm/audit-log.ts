// Reading the audit trail (written by audit() in every service): admins filter it by who, what, which
// record and when, newest first, with the names of the staff and customers it mentions.
import type { AuditFilter } from '../db/repositories/audit.ts';
import type { AuditEntry } from '../db/types.ts';
import type { Actor, ActorKind, AuditAction, AuditEntityType } from '../domain/audit.ts';
import type { ServiceDeps } from './context.ts';
import { requireAdminActor } from './customer-access.ts';

export interface AuditSearch {
  actor?: { type: ActorKind; id?: string | undefined } | undefined;
  action?: AuditAction | undefined;
  entity?: { type: AuditEntityType; id?: string | undefined } | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** The id of the last entry of the previous page. */
  beforeId?: number | undefined;
  take: number;
}

export interface AuditLine {
  entry: AuditEntry;
  actorName: string | null;
  entityName: string | null;
}

export class AuditLog {
  constructor(private readonly deps: ServiceDeps) {}

  /** One page, newest first; `next` is the id to continue before, or null on the last page. */
  async search(query: AuditSearch, actor: Actor): Promise<{ lines: AuditLine[]; next: number | null }> {
    requireAdminActor(actor, 'reading the audit log');
    const { repos } = this.deps.store;
    const filter: AuditFilter = {
      ...(query.actor ? { actorType: query.actor.type, ...(query.actor.id ? { actorId: query.actor.id } : {}) } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.entity
        ? { entityType: query.entity.type, ...(query.entity.id ? { entityId: query.entity.id } : {}) }
        : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(query.beforeId ? { beforeId: query.beforeId } : {}),
    };
    // One more than asked tells whether an older page exists.
    const found = await repos.audit.search(filter, query.take + 1);
    const page = found.slice(0, query.take);
    const staff = new Map((await repos.staff.list()).map((s) => [String(s.id), s.name]));
    const customerIds = [
      ...new Set(page.flatMap((e) => (e.entityType === 'customer' && e.entityId ? [Number(e.entityId)] : []))),
    ].filter((id) => Number.isInteger(id) && id > 0);
    const customers = new Map<string, string | null>();
    for (const id of customerIds) customers.set(String(id), (await repos.customers.get(id))?.name ?? null);
    const lines = page.map((entry) => ({
      entry,
      actorName: entry.actorType === 'staff' && entry.actorId ? (staff.get(entry.actorId) ?? null) : null,
      entityName: !entry.entityId
        ? null
        : entry.entityType === 'staff'
          ? (staff.get(entry.entityId) ?? null)
          : entry.entityType === 'customer'
            ? (customers.get(entry.entityId) ?? null)
            : null,
    }));
    return { lines, next: found.length > query.take ? (page.at(-1)?.id ?? null) : null };
  }
}
