// Builds the staff console (web/console/src, Preact + TSX) into dist/console with esbuild.
// Run at install (`postinstall`), before `npm start` and before the tests; with `--if-stale` it
// rebuilds only when a source the last bundle was made from changed (nothing generated is committed).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const consoleDist = resolve(root, 'dist/console');
const manifestPath = resolve(consoleDist, 'build.json');

interface Manifest {
  /** Every file of ours the bundle was built from (plus the lockfile and this script), by content hash. */
  inputs: Record<string, string>;
}

function hashOf(path: string): string | null {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;
}

/** Inputs that decide the bundle besides the sources esbuild reports: dependency versions and this script. */
const fixedInputs = ['package-lock.json', 'web/console/build.ts', 'web/console/index.html'];

/**
 * True when there is no bundle or a file it was built from changed. A new source file can only
 * enter the bundle through an import in a file that changed, so the previous inputs are enough.
 */
export function isStale(): boolean {
  if (!existsSync(manifestPath)) return true;
  const manifest: Manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return Object.entries(manifest.inputs).some(([path, hash]) => hashOf(resolve(root, path)) !== hash);
}

export async function buildConsole(options: { production?: boolean } = {}): Promise<void> {
  rmSync(consoleDist, { recursive: true, force: true });
  mkdirSync(consoleDist, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['web/console/src/main.tsx'],
    outdir: resolve(consoleDist, 'assets'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome109', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: options.production ?? true,
    sourcemap: 'linked',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'linked',
  });
  const ours = Object.keys(result.metafile.inputs).filter((path) => !path.startsWith('node_modules/'));
  const inputs: Record<string, string> = {};
  for (const path of [...ours, ...fixedInputs]) inputs[path] = hashOf(resolve(root, path)) ?? '';
  writeFileSync(resolve(consoleDist, 'index.html'), readFileSync(resolve(root, 'web/console/index.html'), 'utf8'));
  writeFileSync(resolve(consoleDist, 'meta.json'), JSON.stringify(result.metafile));
  writeFileSync(manifestPath, JSON.stringify({ inputs } satisfies Manifest, null, 1));
}

/** Builds when stale; returns whether it built. */
export async function ensureConsoleBuild(): Promise<boolean> {
  if (!isStale()) return false;
  await buildConsole();
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  const started = Date.now();
  let built = true;
  if (ifStale) built = await ensureConsoleBuild();
  else await buildConsole();
  if (built) console.log(`console built into ${relative(root, consoleDist)} in ${Date.now() - started} ms`);
}
