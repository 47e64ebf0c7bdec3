// Builds the webchat widget (web/widget/src, plain TypeScript) into dist/widget/widget.js: one
// classic script any page can embed. Run at install (`postinstall`), before `npm start` and by the
// widget's browser test; with `--if-stale` it rebuilds only when a source changed (nothing
// generated is committed).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const widgetDist = resolve(root, 'dist/widget');
const manifestPath = resolve(widgetDist, 'build.json');

function hashOf(path: string): string | null {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;
}

const fixedInputs = ['package-lock.json', 'web/widget/build.ts'];

/** True when there is no bundle or a file it was built from changed. */
export function isWidgetStale(): boolean {
  if (!existsSync(manifestPath)) return true;
  const manifest: { inputs: Record<string, string> } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return Object.entries(manifest.inputs).some(([path, hash]) => hashOf(resolve(root, path)) !== hash);
}

export async function buildWidget(): Promise<void> {
  rmSync(widgetDist, { recursive: true, force: true });
  mkdirSync(widgetDist, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['web/widget/src/main.ts'],
    outfile: resolve(widgetDist, 'widget.js'),
    bundle: true,
    // A classic script: `document.currentScript` (where the data- options are) works only there.
    format: 'iife',
    platform: 'browser',
    target: ['es2022', 'chrome109', 'safari16'],
    minify: true,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  const inputs: Record<string, string> = {};
  for (const path of [...Object.keys(result.metafile.inputs), ...fixedInputs]) {
    inputs[path] = hashOf(resolve(root, path)) ?? '';
  }
  writeFileSync(resolve(widgetDist, 'meta.json'), JSON.stringify(result.metafile));
  writeFileSync(manifestPath, JSON.stringify({ inputs }, null, 1));
}

/** Builds when stale; returns whether it built. */
export async function ensureWidgetBuild(): Promise<boolean> {
  if (!isWidgetStale()) return false;
  await buildWidget();
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  let built = true;
  if (process.argv.includes('--if-stale')) built = await ensureWidgetBuild();
  else await buildWidget();
  if (built) console.log(`widget built into ${relative(root, widgetDist)} in ${Date.now() - started} ms`);
}
