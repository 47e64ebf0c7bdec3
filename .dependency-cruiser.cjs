// The layer plan of docs/architecture.md §9, checked by `npm run deps` (part of `npm test`).
// Lowest first; a module may import only from its own layer or the layers listed below it. Type-only
// imports count (tsPreCompilationDeps). Tests, benchmarks and prisma/tools may import anything; the
// composition root (src/app.ts, src/main.ts, src/cli.ts, src/demo/) may import anything under src/,
// flows/ and adapters/.

const ours = '^(src|flows|adapters)/';

/** Paths of ours that a layer may NOT import: everything of ours except its own layer and the ones below. */
function onlyInto(...allowed) {
  return { path: ours, pathNot: allowed };
}

const domain = '^src/domain/';
const kernel = '^src/kernel/';
const config = '^src/config[.]ts$';
const db = '^src/db/';
const generated = '^src/generated/';
const ai = '^src/ai/';
const crm = '^src/crm/';
const core = '^src/core/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycles anywhere, type imports included (also not between files of one layer).',
      from: { path: ours },
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports and that imports nothing is dead code.',
      from: { orphan: true, path: ours, pathNot: ['[.]d[.]ts$'] },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves to a file or an installed package.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'domain-is-a-leaf',
      severity: 'error',
      comment: 'src/domain (the vocabulary) imports nothing of ours.',
      from: { path: domain },
      to: onlyInto(domain),
    },
    {
      name: 'kernel-imports-domain-only',
      severity: 'error',
      comment: 'src/kernel (clock, logger, i18n, events, hours, privacy, keyed lock) imports only src/domain.',
      from: { path: kernel },
      to: onlyInto(kernel, domain),
    },
    {
      name: 'config-imports-kernel-domain',
      severity: 'error',
      comment: 'src/config.ts (the settings schema) sits on the kernel: it imports kernel and domain only.',
      from: { path: config },
      to: onlyInto(config, kernel, domain),
    },
    {
      name: 'db-below-services',
      severity: 'error',
      comment: 'src/db imports kernel, domain (and its generated Prisma client); never ai, crm, core.',
      from: { path: db },
      to: onlyInto(db, generated, config, kernel, domain),
    },
    {
      name: 'ai-below-crm',
      severity: 'error',
      comment: 'src/ai imports db, kernel, domain; where it needs the catalogue it defines a narrow interface.',
      from: { path: ai },
      to: onlyInto(ai, db, config, kernel, domain),
    },
    {
      name: 'crm-below-runtime',
      severity: 'error',
      comment: 'src/crm imports ai, db, kernel, domain; never core, flows, http, jobs, adapters.',
      from: { path: crm },
      to: onlyInto(crm, ai, db, config, kernel, domain),
    },
    {
      name: 'core-below-edges',
      severity: 'error',
      comment: 'src/core (the runtime) imports crm, ai, db, kernel, domain; never flows, http, jobs, adapters.',
      from: { path: core },
      to: onlyInto(core, crm, ai, db, config, kernel, domain),
    },
    {
      name: 'flows-through-services',
      severity: 'error',
      comment:
        'flows import the flow API (src/core), crm, the text helpers of src/ai, kernel, domain; never db (data arrives through ctx.services), http, jobs or adapters.',
      from: { path: '^flows/' },
      to: onlyInto('^flows/', core, crm, ai, config, kernel, domain),
    },
    {
      name: 'http-calls-services',
      severity: 'error',
      comment: 'src/http imports core, crm, kernel, domain; never a repository (src/db), ai, flows, jobs or adapters.',
      from: { path: '^src/http/' },
      to: onlyInto('^src/http/', core, crm, config, kernel, domain),
    },
    {
      name: 'jobs-call-services',
      severity: 'error',
      comment: 'src/jobs imports core, crm, kernel, domain; never src/db, ai, flows, http or adapters.',
      from: { path: '^src/jobs/' },
      to: onlyInto('^src/jobs/', core, crm, config, kernel, domain),
    },
    {
      name: 'adapters-through-contract',
      severity: 'error',
      comment:
        'adapters import adapters/contract.ts (the Channel port and the AdapterPort), kernel and domain; never crm, db, http, flows.',
      from: { path: '^adapters/', pathNot: '^adapters/contract[.]ts$' },
      to: onlyInto('^adapters/', kernel, domain),
    },
    {
      name: 'contract-reexports-core-ports',
      severity: 'error',
      comment: 'adapters/contract.ts re-exports the ports defined in src/core; nothing else of ours.',
      from: { path: '^adapters/contract[.]ts$' },
      to: onlyInto('^src/core/(channel|adapter-port)[.]ts$', kernel, domain),
    },
    {
      name: 'ports-are-plain',
      severity: 'error',
      comment:
        'The ports adapters see (Channel, AdapterPort) are types over kernel and domain only, so no adapter reaches crm or db through them.',
      from: { path: '^src/core/(channel|adapter-port)[.]ts$' },
      to: onlyInto('^src/core/(channel|adapter-port)[.]ts$', kernel, domain),
    },
    {
      name: 'only-db-imports-prisma',
      severity: 'error',
      comment: 'Only src/db imports the Prisma client (generated or from node_modules).',
      from: { path: ours, pathNot: db },
      to: { path: ['^src/generated/', '^node_modules/(@prisma|prisma)/'] },
    },
    {
      name: 'only-adapters-import-platform-sdks',
      severity: 'error',
      comment: 'Only adapters/ import grammy, telegraf, wechaty.',
      from: { path: ours, pathNot: '^adapters/' },
      to: { path: '^node_modules/(grammy|telegraf|wechaty[^/]*|@grammyjs)/' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    exclude: { path: ['^web/', '^data/', '^test/[.]tmp/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
