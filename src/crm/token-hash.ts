// Bearer tokens (issued API tokens, console sessions, the first-run admin token) are stored as hashes.
import { createHash } from 'node:crypto';

/** SHA-256 of a token: tokens are random, so a fast hash is enough and lookups stay indexed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
