// Usage: npm run db:migration -- <name>
// Regenerates both schema files, diffs each against its last migrated snapshot and writes
// prisma/migrations/<provider>/<timestamp>_<name>/migration.sql. Review the SQL before committing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { openEngine } from './schema-engine.ts';

const name = process.argv[2] ?? '';
if (!/^[a-z0-9_]+$/.test(name)) throw new Error('usage: make-migration <name> (a-z, 0-9, _)');
execFileSync('npx', ['tsx', 'prisma/tools/schemas.ts'], { stdio: 'inherit' });
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const files = (content: string) => ({ files: [{ path: 'schema.prisma', content }] });

for (const [key, provider] of [
  ['sqlite', 'sqlite'],
  ['pg', 'postgres'],
] as const) {
  const dir = `prisma/migrations/${key}`;
  const snapshot = `${dir}/schema.snapshot.prisma`;
  const next = readFileSync(`prisma/schema.${key}.prisma`, 'utf8');
  const prev = existsSync(snapshot) ? readFileSync(snapshot, 'utf8') : undefined;
  const engine = await openEngine(next, provider);
  const { stdout } = await engine.diff({
    from: prev ? { tag: 'schemaDatamodel', ...files(prev) } : { tag: 'empty' },
    to: { tag: 'schemaDatamodel', ...files(next) },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  if (!stdout || /^-- This is an empty migration\.\s*$/.test(stdout)) {
    console.log(`${key}: no changes`);
    continue;
  }
  mkdirSync(`${dir}/${stamp}_${name}`, { recursive: true });
  writeFileSync(`${dir}/${stamp}_${name}/migration.sql`, stdout);
  writeFileSync(snapshot, next);
  console.log(`${key}: wrote ${dir}/${stamp}_${name}/migration.sql`);
}
