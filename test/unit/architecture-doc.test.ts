// docs/architecture.md against the code it describes: the vocabulary table lists every zod enum that
// src/domain exports, with exactly its values in order; the layer table names every rule of
// .dependency-cruiser.cjs and no other; and the doc links nothing outside the repository.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { z } from 'zod';

const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');

/** Every exported enum of src/domain, by name: its values and the files that export it. */
async function domainEnums(): Promise<Map<string, { values: string[]; files: string[] }>> {
  const dir = join(root, 'src/domain');
  const enums = new Map<string, { values: string[]; files: string[] }>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const module: Record<string, unknown> = await import(join(dir, file));
    for (const [name, value] of Object.entries(module)) {
      if (!(value instanceof z.ZodEnum)) continue;
      const values = value.options.map(String);
      const known = enums.get(name);
      if (known) {
        // A re-export (ChannelName in messages.ts) must be the same enum.
        expect(known.values, `${name} in ${file} differs from ${known.files.join(', ')}`).toEqual(values);
        known.files.push(file);
      } else {
        enums.set(name, { values, files: [file] });
      }
    }
  }
  return enums;
}

/** The rows of the vocabulary table: `| \`file.ts\` | \`Enum\` | a, b, c | used in |`. */
function documentedEnums(): Map<string, { values: string[]; file: string }> {
  const section = /\n### Vocabulary \(`src\/domain`\)\n([\s\S]*?)(?=\n### )/.exec(doc)?.[1] ?? '';
  const rows = new Map<string, { values: string[]; file: string }>();
  for (const line of section.split('\n')) {
    const match = /^\| `([\w-]+\.ts)` \| `(\w+)` \| ([^|]+) \|/.exec(line);
    if (!match?.[1] || !match[2] || !match[3]) continue;
    expect(rows.has(match[2]), `${match[2]} is listed twice`).toBe(false);
    rows.set(match[2], { file: match[1], values: match[3].split(',').map((v) => v.trim()) });
  }
  return rows;
}

it('the vocabulary table lists every enum of src/domain with its values', async () => {
  const code = await domainEnums();
  const documented = documentedEnums();
  const problems: string[] = [];
  for (const [name, { values, files }] of code) {
    const row = documented.get(name);
    if (!row) problems.push(`missing row: | \`${files[0]}\` | \`${name}\` | ${values.join(', ')} | <used in> |`);
    else if (row.values.join(', ') !== values.join(', '))
      problems.push(`${name}: the doc says "${row.values.join(', ')}", the code "${values.join(', ')}"`);
    else if (!files.includes(row.file))
      problems.push(`${name}: not exported by ${row.file} but by ${files.join(', ')}`);
  }
  for (const name of documented.keys()) if (!code.has(name)) problems.push(`${name}: no such enum in src/domain`);
  expect(problems.join('\n'), problems.join('\n')).toBe('');
});

it('the layer table names exactly the rules .dependency-cruiser.cjs enforces', () => {
  const cruiser: unknown = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs'));
  const rules = z
    .object({ forbidden: z.array(z.object({ name: z.string() })) })
    .parse(cruiser)
    .forbidden.map((rule) => rule.name)
    .sort();
  const section = /\n### Layers\n([\s\S]*?)(?=\n### )/.exec(doc)?.[1] ?? '';
  const named = [...new Set([...section.matchAll(/`([a-z]+(?:-[a-z]+)+)`/g)].map((m) => m[1]))].sort();
  expect(named).toEqual(rules);
});

it('links nothing outside the repository', () => {
  expect(doc.match(/\.\.\/(?:shared|\.\.)[^\s)`]*/g) ?? []).toEqual([]);
});
