// The loyalty ledger's one hot write: post an entry, keep the cached balance on the customer row in
// step, consume older points FIFO for a debit, all in one transaction, idempotent by key. Two
// implementations with the same behaviour: through the repositories (PostgreSQL, and inside any
// enclosing transaction) and as prepared statements on SQLite (sqlite-fast/ledger.ts). The loyalty
// tests run the service on both databases.

import type { NewPointsEntry } from './repositories/loyalty.ts';
import type { Repositories } from './repositories.ts';
import type { PointsEntry } from './types.ts';

export interface LedgerPost extends NewPointsEntry {
  /** The balance may not fall below this (checked and changed in one statement); absent: no floor. */
  floor?: number | undefined;
}

export type LedgerResult =
  | { status: 'created' | 'replayed'; entry: PointsEntry }
  | { status: 'insufficient'; balance: number }
  | { status: 'unknown_customer' };

export interface Ledger {
  post(entry: LedgerPost): Promise<LedgerResult>;
}

/** The ledger through the repositories: joins the transaction in progress, else opens its own. */
export class RepositoryLedger implements Ledger {
  constructor(private readonly transaction: <T>(work: (repos: Repositories) => Promise<T>) => Promise<T>) {}

  post(input: LedgerPost): Promise<LedgerResult> {
    const { floor, ...entry } = input;
    return this.transaction(async (repos): Promise<LedgerResult> => {
      if (!(await repos.loyalty.lockCustomer(entry.customerId))) return { status: 'unknown_customer' };
      const existing = await repos.loyalty.entryByKey(entry.idempotencyKey);
      if (existing) return { status: 'replayed', entry: existing };
      if (!(await repos.loyalty.changeBalance(entry.customerId, entry.amount, floor))) {
        return { status: 'insufficient', balance: (await repos.loyalty.cachedBalance(entry.customerId)) ?? 0 };
      }
      const created = await repos.loyalty.insertEntry(entry);
      if (entry.amount < 0) await repos.loyalty.consume(entry.customerId, -entry.amount);
      return { status: 'created', entry: created };
    });
  }
}
