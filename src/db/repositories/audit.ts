import type { ActorKind, AuditAction, AuditEntityType } from '../../domain/audit.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { AuditEntry, JsonObject } from '../types.ts';

export interface NewAuditEntry {
  actorType: ActorKind;
  actorId?: string | null;
  action: AuditAction;
  entityType: AuditEntityType;
  entityId?: string | null;
  details?: JsonObject;
  at: Date;
}

/** The audit log's filters (all optional); entries come newest first. */
export interface AuditFilter {
  actorType?: ActorKind;
  actorId?: string;
  action?: AuditAction;
  entityType?: AuditEntityType;
  entityId?: string;
  from?: Date;
  to?: Date;
  /** Only entries older than this id (the page cursor). */
  beforeId?: number;
}

export class AuditRepository {
  constructor(private readonly db: PrismaTx) {}

  async record(entry: NewAuditEntry): Promise<AuditEntry> {
    const { at, details, ...rest } = entry;
    return rows.auditEntry(
      await this.db.auditEntry.create({ data: { ...rest, ...(details ? { details } : {}), createdAt: at } }),
    );
  }

  async forEntity(entityType: AuditEntityType, entityId: string): Promise<AuditEntry[]> {
    const found = await this.db.auditEntry.findMany({ where: { entityType, entityId }, orderBy: { id: 'asc' } });
    return found.map(rows.auditEntry);
  }

  /** One page of the log, newest first. */
  async search(filter: AuditFilter, take: number): Promise<AuditEntry[]> {
    const found = await this.db.auditEntry.findMany({
      where: {
        ...(filter.actorType ? { actorType: filter.actorType } : {}),
        ...(filter.actorId ? { actorId: filter.actorId } : {}),
        ...(filter.action ? { action: filter.action } : {}),
        ...(filter.entityType ? { entityType: filter.entityType } : {}),
        ...(filter.entityId ? { entityId: filter.entityId } : {}),
        ...(filter.from || filter.to
          ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
          : {}),
        ...(filter.beforeId ? { id: { lt: filter.beforeId } } : {}),
      },
      orderBy: { id: 'desc' },
      take,
    });
    return found.map(rows.auditEntry);
  }

  async recent(take = 100, action?: AuditAction): Promise<AuditEntry[]> {
    const found = await this.db.auditEntry.findMany({
      where: action ? { action } : {},
      orderBy: { id: 'desc' },
      take,
    });
    return found.map(rows.auditEntry);
  }
}
