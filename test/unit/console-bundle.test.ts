// The console bundle is built from the browser app, the shared schemas and vocabulary, and browser
// libraries only: no server code (services, database, Node built-ins) may slip into it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleDist, ensureConsoleBuild } from '../../web/console/build.ts';

// src/kernel/hours.ts imports nothing (Intl only): the console reads shop days with the server's own rules.
const ours = [
  /^web\/console\/src\//,
  /^src\/http\/schemas\//,
  /^src\/domain\//,
  /^src\/kernel\/i18n\.ts$/,
  /^src\/kernel\/hours\.ts$/,
];
const libraries = ['preact', 'preact-iso', 'zod', 'chart.js', '@kurkle/color', 'eventsource-parser'];

describe('console bundle', () => {
  it('contains only browser code', async () => {
    await ensureConsoleBuild();
    const meta: { inputs: Record<string, unknown> } = JSON.parse(
      readFileSync(resolve(consoleDist, 'meta.json'), 'utf8'),
    );
    const inputs = Object.keys(meta.inputs);
    expect(inputs.some((path) => path.startsWith('src/http/schemas/'))).toBe(true);
    const foreign = inputs.filter((path) => {
      if (path.startsWith('node_modules/')) {
        const name = path.split('/')[1]?.startsWith('@') ? path.split('/').slice(1, 3).join('/') : path.split('/')[1];
        return !libraries.includes(name ?? '');
      }
      return !ours.some((pattern) => pattern.test(path));
    });
    expect(foreign).toEqual([]);
  });
});
