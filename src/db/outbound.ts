// Outbound messages as the data layer writes them: outbox rows and their interaction log entries,
// planned together (by the messaging service) and written index for index (by the pipeline's commit
// or inside a service transaction).
import type { NewInteraction } from './repositories/interactions.ts';
import type { NewOutboxMessage } from './repositories/outbox.ts';

/** Outbox rows and their interaction log entries, index for index. */
export interface PlannedOutbound {
  outbox: NewOutboxMessage[];
  interactions: NewInteraction[];
}

/** Links a logged outbound interaction to the outbox row that carries it. */
export function withOutboxId(entry: NewInteraction, outboxId: number | null): NewInteraction {
  return { ...entry, payload: { ...(entry.payload ?? {}), outboxId } };
}
