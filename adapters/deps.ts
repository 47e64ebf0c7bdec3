// What an adapter may use from the running app: the store (button payloads, identity flags), the
// clock and the logger. Adapters never see services or the ORM.

import type { Store } from '../src/db/store.ts';
import type { Clock } from '../src/kernel/clock.ts';
import type { Logger } from '../src/kernel/logger.ts';

export interface ChannelDeps {
  store: Store;
  clock: Clock;
  log: Logger;
}
