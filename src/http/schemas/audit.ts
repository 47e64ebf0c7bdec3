// The audit log as GET /api/audit returns it (admin): who did what to whom, newest first, paged
// with an opaque cursor. Shared with the console's audit page.
import { z } from 'zod';
import { ActorKind, AuditAction, AuditEntityType } from './vocabulary.ts';
import { IsoDate } from './wire.ts';

/**
 * `<kind>` or `<kind>:<id>`, the kind one of `kinds`: how the audit filters name an actor (`staff:12`,
 * `admin`) or an entity (`customer`, `conversation:16`).
 */
function kindWithId<Kind extends string>(kinds: z.ZodType<Kind>, kindPattern: string, noun: string, example: string) {
  return z
    .string()
    .regex(new RegExp(`^${kindPattern}(:[A-Za-z0-9_.:-]{1,64})?$`), `expected e.g. ${example}`)
    .transform((value, ctx) => {
      const [kind, ...rest] = value.split(':');
      const parsed = kinds.safeParse(kind);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: `unknown ${noun} kind ${kind}` });
        return z.NEVER;
      }
      return { type: parsed.data, id: rest.length ? rest.join(':') : undefined };
    });
}

const ActorFilter = kindWithId(ActorKind, '[a-z]+', 'actor', 'staff:12, admin or customer:7');
const EntityFilter = kindWithId(AuditEntityType, '[a-z_]+', 'entity', 'customer or customer:7');

const Cursor = z
  .string()
  .regex(/^a\d{1,12}$/, 'expected a cursor from a previous page')
  .transform((value) => Number(value.slice(1)));

export const AuditQuery = z
  .object({
    actor: ActorFilter.optional(),
    action: AuditAction.optional(),
    entity: EntityFilter.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    cursor: Cursor.optional(),
    take: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntryView = z.object({
  id: z.number().int(),
  at: IsoDate,
  actor: z.object({ type: ActorKind, id: z.string().nullable(), name: z.string().nullable() }),
  action: AuditAction,
  entity: z.object({ type: AuditEntityType, id: z.string().nullable(), name: z.string().nullable() }),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditResponse = z.object({
  entries: z.array(AuditEntryView),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  cursor: z.string().nullable(),
});
export type AuditResponse = z.infer<typeof AuditResponse>;

export const auditCursor = (id: number) => `a${id}`;
