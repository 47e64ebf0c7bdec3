// Issue 14, finding 4 and the first-run path, through the real entry points as child processes:
// with NODE_ENV=production the demo accounts are never created (even with SEED_DEMO=true);
// `guanxi staff add <username> --role admin` reads the password from stdin when it is not a terminal;
// with no ADMIN_TOKEN the first start generates one, prints it once to the terminal and never to a
// log line, and the next start accepts the same token without printing it again.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createTestDatabase, describeEachProvider, type TestDatabase } from '../helpers/databases.ts';

const root = join(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];

function env(db: TestDatabase): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: db.database.url,
    NODE_ENV: 'production',
    SEED_DEMO: 'true',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
    JOBS_ENABLED: 'false',
    CAMPAIGN_TICK_MS: '0',
  };
}

/** Runs `guanxi <args>` with `input` on stdin; resolves with its exit code and output. */
function cli(db: TestDatabase, args: string[], input: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    env: env(db),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stdin?.end(input);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

/** Starts the server (`npm start`'s entry); resolves once it prints its address, with everything it wrote. */
async function server(db: TestDatabase): Promise<{ base: string; output: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: env(db),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const found = /Guanxi is running: (http:\/\/[^\s]+)/.exec(out);
      if (found?.[1]) {
        clearInterval(timer);
        resolve(found[1]);
      }
      if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`server exited: ${out}`));
      }
    }, 100);
  });
  return {
    base,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function login(base: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}/api/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describeEachProvider('first run in production', (provider) => {
  it('has no demo accounts, adds an admin from the CLI, and prints a generated ADMIN_TOKEN once, never in a log', async () => {
    const db = await createTestDatabase(provider);
    try {
      const added = await cli(db, ['staff', 'add', 'boss', '--role', 'admin', '--name', '老板'], 'boss-password-123\n');
      expect(added.out).toContain('created admin boss');
      expect(added.code).toBe(0);
      const tooShort = await cli(db, ['staff', 'add', 'clerk', '--role', 'agent'], 'short\n');
      expect(tooShort.code).toBe(2);

      const first = await server(db);
      const printed = /one was generated[^\n]*\n\n\s+(\S+)\n/.exec(first.output())?.[1] ?? '';
      expect(printed).toMatch(/^gxa_/);
      expect((await login(first.base, { username: 'admin', password: 'admin123' })).status).toBe(401);
      expect((await login(first.base, { username: 'agent', password: 'agent123' })).status).toBe(401);
      expect((await login(first.base, { username: 'clerk', password: 'short' })).status).toBe(401);
      const boss = await login(first.base, { username: 'boss', password: 'boss-password-123' });
      expect(boss.status).toBe(200);
      expect(boss.json).toMatchObject({ staff: { role: 'admin', name: '老板' } });
      const admin = await login(first.base, { token: printed });
      expect(admin).toMatchObject({ status: 200, json: { staff: { role: 'admin' } } });
      const me = await fetch(`${first.base}/api/console/me?token=${printed}`, {
        headers: { authorization: `Bearer ${printed}` },
      });
      expect(me.status).toBe(200);
      await first.stop();
      // The token is on the terminal once, and in no log line (JSON), even after requests carrying it.
      const output = first.output();
      expect(output.split(printed).length - 1).toBe(1);
      const logLines = output.split('\n').filter((line) => line.startsWith('{'));
      expect(logLines.some((line) => line.includes('/api/console/me?token=[redacted]'))).toBe(true);
      for (const line of logLines) expect(line).not.toContain(printed);

      const second = await server(db);
      expect(second.output()).not.toContain('one was generated');
      expect((await login(second.base, { token: printed })).status).toBe(200);
      expect((await login(second.base, { token: 'gxa_not-the-token-at-all-000' })).status).toBe(401);
      await second.stop();
    } finally {
      await db.drop();
    }
  }, 120_000);
});
