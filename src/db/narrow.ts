// Narrowing at the repository boundary: the ORM types status-like columns as `string`; a repository
// hands out rows whose vocabulary columns carry their domain types, checked once here.
import { z } from 'zod';

/** `Row` with the columns of `Shape` typed by their schemas. */
export type Narrowed<Row, Shape extends z.ZodRawShape> = Omit<Row, keyof Shape> & z.output<z.ZodObject<Shape>>;

/** A value outside the vocabulary in a stored row: a data error (an old value a migration missed). */
export class VocabularyError extends Error {
  constructor(table: string, error: z.ZodError) {
    super(`${table}: ${error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    this.name = 'VocabularyError';
  }
}

/** A membership test for a column whose schema is an enum (or a nullable enum); undefined for any other schema. */
function enumCheck(schema: unknown): ((value: unknown) => boolean) | undefined {
  if (schema instanceof z.ZodEnum) {
    const values = new Set<unknown>(schema.options);
    return (value) => values.has(value);
  }
  if (schema instanceof z.ZodNullable) {
    const inner = enumCheck(schema.unwrap());
    return inner && ((value) => value === null || inner(value));
  }
  return undefined;
}

/**
 * The same verdict as the table's zod schema when every vocabulary column is an enum (every table
 * today): rows are read on every message, and a set lookup per column is far cheaper than a parse.
 */
function enumChecks(shape: z.ZodRawShape): ((row: Record<string, unknown>) => boolean) | undefined {
  const checks: Array<[string, (value: unknown) => boolean]> = [];
  for (const [key, schema] of Object.entries(shape)) {
    const check = enumCheck(schema);
    if (!check) return undefined;
    checks.push([key, check]);
  }
  return (row) => {
    for (const [key, check] of checks) if (!check(row[key])) return false;
    return true;
  };
}

/** The parser of one table's vocabulary columns; every other column passes through untouched. */
export function narrower<Shape extends z.ZodRawShape>(table: string, shape: Shape) {
  const schema = z.object(shape);
  const fast = enumChecks(shape);
  return <Row extends { [K in keyof Shape]: unknown }>(row: Row): Narrowed<Row, Shape> => {
    const valid = (r: Row): r is Row & z.output<z.ZodObject<Shape>> => fast?.(r) === true;
    // The row is the caller's own fresh object (an ORM result or a row reader's): handed out as it
    // is, not copied, since rows are read several times a message.
    if (valid(row)) return row;
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new VocabularyError(table, parsed.error);
    return { ...row, ...parsed.data };
  };
}
