// Database errors that callers act on, translated from the ORM's error codes.
export function isUniqueViolation(error: unknown): boolean {
  return hasCode(error, 'P2002');
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
