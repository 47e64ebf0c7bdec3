// Offline access to Prisma's schema engine (@prisma/schema-engine-wasm) so migration SQL can be
// produced without the native engine binary or a database server. See ../shared/notes/prisma-offline.md.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlResultSet,
} from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';

let ready: Promise<void> | undefined;

function init(): Promise<void> {
  // The package entry imports a .wasm file, which Node 20 cannot load: instantiate it by hand.
  ready ??= (async () => {
    const js = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(js.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': { ...bg } });
    bg.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start === 'function') start();
  })();
  return ready;
}

export async function openEngine(schema: string, provider: 'sqlite' | 'postgres') {
  await init();
  return bg.SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(offlineAdapter(provider)),
  );
}

// A fake connection: schema-to-schema diffs need no server, but PostgreSQL asks one question on connect.
function offlineAdapter(provider: 'sqlite' | 'postgres'): SqlMigrationAwareDriverAdapterFactory {
  const answer: SqlResultSet = {
    columnNames: ['exists', 'version', 'numeric_version'],
    columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
    rows: [[true, 'PostgreSQL 16.0', 160000]],
  };
  const refuse = async (): Promise<never> => {
    throw new Error('offline adapter: no transactions');
  };
  const connection: SqlDriverAdapter = {
    provider,
    adapterName: 'offline',
    queryRaw: async () => answer,
    executeRaw: async () => 0,
    executeScript: async () => {},
    startTransaction: refuse,
    getConnectionInfo: () => ({ supportsRelationJoins: false }),
    dispose: async () => {},
  };
  return {
    provider,
    adapterName: 'offline',
    connect: async () => connection,
    connectToShadowDb: async () => connection,
  };
}
