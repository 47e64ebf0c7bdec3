// npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]
// Prints the functions and the files with the most self time in a V8 CPU profile (as written by
// `npm run bench:pipeline -- --cpu-prof` or `node --cpu-prof`), with their share of all samples.
// `--callers <function name>` adds the call stacks (innermost first, `--depth` frames) that spend the
// self time of the functions so named: where a native `run` or `get` is called from, for instance.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    callers: { type: 'string' },
    depth: { type: 'string', default: '4' },
  },
});
const file = positionals[0];
if (!file) {
  console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]');
  process.exit(2);
}
const top = Number(values.top);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

// Self time per node: the sum of the time deltas of the samples that landed on it.
const selfMicros = new Map<number, number>();
const samples = profile.samples ?? [];
const deltas = profile.timeDeltas ?? [];
for (let i = 0; i < samples.length; i++) {
  const id = samples[i];
  if (id === undefined) continue;
  // A sample's time is the delta to the next one (the last sample gets the previous delta).
  const micros = deltas[i + 1] ?? deltas[i] ?? 0;
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + micros);
}

function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  const nodeModules = path.lastIndexOf('node_modules/');
  if (nodeModules >= 0) return path.slice(nodeModules);
  return path.startsWith('/') ? relative(process.cwd(), path) : path;
}

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0) continue;
  total += micros;
  const where = shortUrl(node.callFrame.url);
  const name = node.callFrame.functionName || '(anonymous)';
  const key = `${name}  ${where}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  byFile.set(where, (byFile.get(where) ?? 0) + micros);
}

function print(title: string, rows: Map<string, number>): void {
  console.log(`\n${title}`);
  const sorted = [...rows.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, micros] of sorted)
    console.log(
      `${((micros / total) * 100).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}`,
    );
}

console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print('Self time by function', byFunction);
print('Self time by file', byFile);

// Total time: a function's self time plus everything it called (counted once per stack, so recursion
// does not count twice).
{
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    if (micros === 0) continue;
    const seen = new Set<string>();
    for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at);
      if (!frame || frame.callFrame.url === '') continue;
      const key = `${frame.callFrame.functionName || '(anonymous)'}  ${shortUrl(frame.callFrame.url)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
    }
  }
  print('Total time by function (self + callees; functions with source only)', inclusive);
}

if (values.callers !== undefined) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const frame = (node: ProfileNode) =>
    `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
  const stacks = new Map<string, number>();
  for (const node of profile.nodes) {
    if (node.callFrame.functionName !== values.callers) continue;
    const micros = selfMicros.get(node.id) ?? 0;
    if (micros === 0) continue;
    const chain: string[] = [];
    let at = parent.get(node.id);
    while (at !== undefined && chain.length < Number(values.depth)) {
      const caller = nodes.get(at);
      if (!caller) break;
      chain.push(frame(caller));
      at = parent.get(at);
    }
    const key = chain.join('  <  ');
    stacks.set(key, (stacks.get(key) ?? 0) + micros);
  }
  print(`Callers of ${values.callers}`, stacks);
}
