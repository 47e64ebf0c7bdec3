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

/** Who performed an action, for the audit trail. */
export type Actor =
  | { type: 'staff'; staffId: number; role: 'admin' | 'agent' }
  | { type: 'admin' }
  | { type: 'system' }
  | { type: 'customer'; customerId: number };

export function actorFields(actor: Actor): { actorType: Actor['type']; actorId: string | null } {
  switch (actor.type) {
    case 'staff':
      return { actorType: 'staff', actorId: String(actor.staffId) };
    case 'customer':
      return { actorType: 'customer', actorId: String(actor.customerId) };
    default:
      return { actorType: actor.type, actorId: null };
  }
}
