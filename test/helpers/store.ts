// A store on a fresh database for every test of a suite: the data layer's own tests, below the app.
import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/db/store.ts';
import { createTestDatabase, type Provider, type TestDatabase } from './databases.ts';

export interface FreshStore {
  /** The test's database (its `database` config opens more stores on it). */
  readonly db: TestDatabase;
  readonly store: Store;
}

/** Registers the set-up and tear-down (call it directly inside the suite); `db` and `store` are there inside a test. */
export function storePerTest(provider: Provider): FreshStore {
  let current: FreshStore | undefined;
  beforeEach(async () => {
    const db = await createTestDatabase(provider);
    current = { db, store: await openStore(db.database) };
  });
  afterEach(async () => {
    await current?.store.close();
    await current?.db.drop();
    current = undefined;
  });
  const now = () => {
    if (!current) throw new Error('the store exists only inside a test');
    return current;
  };
  return {
    get db() {
      return now().db;
    },
    get store() {
      return now().store;
    },
  };
}
