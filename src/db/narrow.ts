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

/** The parser of one table's vocabulary columns; every other column passes through untouched. */
export function narrower<Shape extends z.ZodRawShape>(table: string, shape: Shape) {
  const schema = z.object(shape);
  return <Row extends { [K in keyof Shape]: unknown }>(row: Row): Narrowed<Row, Shape> => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new VocabularyError(table, parsed.error);
    return { ...row, ...parsed.data };
  };
}
