// The one way services write the audit trail: a typed action and entity, the actor, details as JSON,
// written with the repositories the service passes in, so the entry commits (or rolls back) with the
// service's own transaction — or, for a change a flow makes during a turn, with the turn's commit.
import type { NewAuditEntry } from '../db/repositories/audit.ts';
import type { Repositories, Store } from '../db/store.ts';
import type { JsonObject } from '../db/types.ts';
import { type Actor, type AuditAction, type AuditEntityType, actorFields } from '../domain/audit.ts';
import type { Clock } from '../kernel/clock.ts';

export interface AuditRecord {
  actor: Actor;
  action: AuditAction;
  entity: AuditEntityType;
  entityId?: string | number | null;
  details?: JsonObject;
}

export async function audit(repos: Repositories, at: Date, record: AuditRecord): Promise<void> {
  await repos.audit.record(auditEntry(at, record));
}

/**
 * The row of an audit entry. `audit()` writes it in a service transaction; a change a flow makes
 * during a turn hands it to the pipeline, which writes it with the turn's replies (core/turn.ts).
 */
export function auditEntry(at: Date, record: AuditRecord): NewAuditEntry {
  const { actor, action, entity, entityId, details } = record;
  return {
    ...actorFields(actor),
    action,
    entityType: entity,
    entityId: entityId === undefined || entityId === null ? null : String(entityId),
    ...(details ? { details } : {}),
    at,
  };
}

/**
 * Runs `change` and records its audit entry in one transaction, so the entry commits or rolls back
 * with it; `entry` describes the change from its result (an id the change created, what it found).
 */
export function audited<T>(
  deps: { store: Store; clock: Clock },
  actor: Actor,
  change: (repos: Repositories) => Promise<T>,
  entry: (result: T) => Omit<AuditRecord, 'actor'>,
): Promise<T> {
  return deps.store.transaction(async (repos) => {
    const result = await change(repos);
    await audit(repos, deps.clock.now(), { actor, ...entry(result) });
    return result;
  });
}

/** Stores a settings document under `key`, audited as `action` with the document as its details. */
export async function saveSetting(
  deps: { store: Store; clock: Clock },
  actor: Actor,
  action: AuditAction,
  key: string,
  document: JsonObject,
): Promise<void> {
  await audited(
    deps,
    actor,
    (repos) => repos.settings.set(key, document),
    () => ({ action, entity: 'setting', entityId: key, details: document }),
  );
}
