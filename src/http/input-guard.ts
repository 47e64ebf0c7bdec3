// One gate for every route's input, before any schema or database sees it: PostgreSQL refuses NUL
// bytes in text (a 500 deep inside a transaction), lone UTF-16 surrogates are not text at all, and
// a thousand-deep JSON tree overflows recursive validators. Each is a 400 here instead.
import { InvalidInputError } from '../domain/errors.ts';
import type { HttpApp } from './context.ts';

/** Deeper than any wire schema goes (segment rules stop at 8 levels, each two JSON levels deep). */
export const MAX_INPUT_DEPTH = 32;

/** A high surrogate without its low half, or a low one without its high half. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string may not enter the system, or null when it may. */
export function badText(text: string): string | null {
  if (text.includes('\u0000')) return 'text may not contain NUL characters';
  if (loneSurrogate.test(text)) return 'text must be valid Unicode';
  return null;
}

function isRecord(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null;
}

/** The first problem in a parsed JSON value (keys and strings at any depth), walked without recursion. */
export function badInput(value: unknown, where: string): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const current = next.value;
    if (typeof current === 'string') {
      const problem = badText(current);
      if (problem) return `${where}: ${problem}`;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (next.depth >= MAX_INPUT_DEPTH) return `${where}: nested deeper than ${MAX_INPUT_DEPTH} levels`;
    const depth = next.depth + 1;
    if (Array.isArray(current)) {
      for (const item of current) stack.push({ value: item, depth });
      continue;
    }
    // Only plain records (Fastify's params and query are null-prototype objects); raw bodies (buffers,
    // upload streams) are checked by their own parsers.
    if (!isRecord(current)) continue;
    for (const [key, item] of Object.entries(current)) {
      const problem = badText(key);
      if (problem) return `${where}: ${problem}`;
      stack.push({ value: item, depth });
    }
  }
  return null;
}

/** Registers the gate for every route (body, query string and path parameters). */
export function registerInputGuard(app: HttpApp): void {
  app.addHook('preValidation', async (request) => {
    const problem =
      badInput(request.params, 'path') ?? badInput(request.query, 'query') ?? badInput(request.body, 'body');
    if (problem) throw new InvalidInputError(problem);
  });
}
