// Database errors that callers act on, translated from the ORM's error codes at the client
// (client.ts), so a clash on a unique column reaches services and HTTP as a domain ConflictError.
import { z } from 'zod';
import { ConflictError } from '../../domain/errors.ts';

/** A write hit a unique constraint: the value is taken (a race callers may resolve, or a 409). */
export class UniqueViolationError extends ConflictError {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

const UniqueMeta = z.object({
  modelName: z.string().optional(),
  driverAdapterError: z
    .object({
      cause: z.object({
        constraint: z.object({ fields: z.array(z.string()).optional(), index: z.string().optional() }).optional(),
      }),
    })
    .optional(),
});

/** The ORM's error as a domain error where one applies; anything else is returned unchanged. */
export function translateDbError(error: unknown): unknown {
  if (!hasCode(error, 'P2002')) return error;
  const meta = UniqueMeta.safeParse(typeof error === 'object' && error !== null && 'meta' in error ? error.meta : {});
  const model = (meta.success && meta.data.modelName) || 'record';
  const constraint = meta.success ? meta.data.driverAdapterError?.cause.constraint : undefined;
  // SQLite names the columns; PostgreSQL names the index ("Staff_username_key").
  const what =
    constraint?.fields?.join(', ') ??
    constraint?.index
      ?.replace(new RegExp(`^${model}_`), '')
      .replace(/_key$/, '')
      .replace(/_/g, ', ');
  return new UniqueViolationError(`a ${model.toLowerCase()} with this ${what ?? 'value'} already exists`, error);
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof UniqueViolationError || hasCode(error, 'P2002');
}

/**
 * Runs an insert that claims something once (a message id, a job run): true when this call wrote the
 * row, false when a unique constraint says it is already there. (On PostgreSQL the clash also aborts
 * the transaction it happens in.)
 */
export async function insertedOnce(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
