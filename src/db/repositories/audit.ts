import type { PrismaTx } from '../client.ts';
import type { AuditEntry, JsonObject } from '../types.ts';

export interface NewAuditEntry {
  actorType: 'staff' | 'admin' | 'system' | 'customer' | 'anonymous';
  actorId?: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: JsonObject;
  at: Date;
}

export class AuditRepository {
  constructor(private readonly db: PrismaTx) {}

  record(entry: NewAuditEntry): Promise<AuditEntry> {
    const { at, details, ...rest } = entry;
    return this.db.auditEntry.create({ data: { ...rest, ...(details ? { details } : {}), createdAt: at } });
  }

  forEntity(entityType: string, entityId: string): Promise<AuditEntry[]> {
    return this.db.auditEntry.findMany({ where: { entityType, entityId }, orderBy: { id: 'asc' } });
  }

  recent(take = 100, action?: string): Promise<AuditEntry[]> {
    return this.db.auditEntry.findMany({ where: action ? { action } : {}, orderBy: { id: 'desc' }, take });
  }
}
