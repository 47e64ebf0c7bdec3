// The admin's bearer token. Set ADMIN_TOKEN to choose it; when it is unset, the first start generates
// one, keeps only its hash in the database (so every instance and every restart accepts the same
// token) and hands it back once so the entry point can print it to the terminal, never to a log.
import { randomBytes } from 'node:crypto';
import type { Store } from '../db/store.ts';
import { hashToken } from './token-hash.ts';

const SETTING = 'admin.tokenHash';

export interface AdminToken {
  /** What bearer tokens are compared with. */
  hash: string;
  /** The token itself, when this run knows it: configured, or generated just now. */
  token?: string;
  /** True on the one run that generated it (print it then). */
  generated: boolean;
}

/**
 * `generate: false` (the CLI) leaves a first run to the server, which prints the token: meanwhile no
 * token is accepted as the admin's (the hash of a random value nobody holds).
 */
export async function resolveAdminToken(
  store: Store,
  configured: string | undefined,
  options: { generate: boolean } = { generate: true },
): Promise<AdminToken> {
  if (configured) return { hash: hashToken(configured), token: configured, generated: false };
  const stored = await store.repos.settings.get(SETTING);
  if (typeof stored === 'string') return { hash: stored, generated: false };
  if (!options.generate) return { hash: hashToken(randomBytes(32).toString('hex')), generated: false };
  const token = `gxa_${randomBytes(24).toString('base64url')}`;
  if (await store.repos.settings.setIfAbsent(SETTING, hashToken(token))) {
    return { hash: hashToken(token), token, generated: true };
  }
  // Another instance generated one first: theirs is the token.
  const winner = await store.repos.settings.get(SETTING);
  if (typeof winner !== 'string') throw new Error('admin token setting is unreadable');
  return { hash: winner, generated: false };
}
