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

  async recent(take = 100, action?: AuditAction): Promise<AuditEntry[]> {
    const found = await this.db.auditEntry.findMany({
      where: action ? { action } : {},
      orderBy: { id: 'desc' },
      take,
    });
    return found.map(rows.auditEntry);
  }
}
