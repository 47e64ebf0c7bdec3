// What every domain service is built from.
import type { Config } from '../config.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../kernel/clock.ts';
import type { EventBus } from '../kernel/events.ts';
import type { Logger } from '../kernel/logger.ts';

export interface ServiceDeps {
  store: Store;
  clock: Clock;
  events: EventBus;
  config: Config;
  log: Logger;
}

/** Who performed an action: defined with the rest of the audit vocabulary in src/domain. */
export type { Actor } from '../domain/audit.ts';
