// Domain events: the console's live updates (SSE), the Telegram staff relay and the outbox sender's
// wake-up all listen here instead of polling the database. An event describes something that
// happened, so it is delivered only once the change is committed. With several instances a relay
// (PostgreSQL LISTEN/NOTIFY, db/event-relay.ts) carries each event to the other instances, where
// only listeners that asked for remote events hear it: live streams, not side effects such as the
// staff relay, which must happen once.
import { EventEmitter } from 'node:events';
import type { ChannelName } from '../domain/channels.ts';
import type { ConversationStatus } from '../domain/conversations.ts';
import type { InteractionDirection, InteractionKind } from '../domain/interactions.ts';
import type { OutboxStatus } from '../domain/outbox.ts';

export interface DomainEvents {
  /** An interaction was logged (message in/out, staff reply, system event). */
  interaction: {
    id: number;
    customerId: number;
    conversationId: number | null;
    kind: InteractionKind;
    direction: InteractionDirection;
  };
  /** A conversation changed status, assignee or priority. */
  conversation: { id: number; status: ConversationStatus; assigneeId: number | null; reason?: string };
  /** Outbox rows were queued for a channel. */
  outbox: { channel: ChannelName; ids: number[] };
  /** An outbox row reached a final state. */
  delivered: { id: number; channel: ChannelName; chatExternalId: string; status: OutboxStatus };
  /**
   * Staff desk activity the consoles show live: replies, notes, transfers and requeues (staffId is
   * the receiver; byName who did it), SLA warnings and breaches.
   */
  desk: { type: string; conversationId: number; staffId?: number | null; text?: string; byName?: string };
  /**
   * The staff member holding a conversation started or stopped typing a reply. Live only: nothing
   * is stored, and the customer's webchat stream (on whichever instance) shows it.
   */
  typing: { conversationId: number; channel: ChannelName; chatExternalId: string; staffName: string; typing: boolean };
}

export const eventNames = [
  'interaction',
  'conversation',
  'outbox',
  'delivered',
  'desk',
  'typing',
] as const satisfies ReadonlyArray<keyof DomainEvents>;
export type EventName = (typeof eventNames)[number];

/** Carries events to the bus of every other instance. */
export interface EventRelay {
  publish(name: EventName, payload: DomainEvents[EventName]): void;
}

export interface ListenOptions {
  /** Also hear events raised on other instances (live views); default: this instance's only. */
  remote?: boolean;
}

export interface EventBusOptions {
  /**
   * Schedules a delivery. The app passes the store's `afterCommit`: an event raised inside a
   * transaction reaches listeners only once that transaction commits (and never if it rolls back),
   * and listeners run outside it, so they open their own unit of work. Default: deliver at once.
   */
  schedule?: (deliver: () => void) => void;
  /** Told about a listener that threw; the other listeners still run. */
  onListenerError?: (error: unknown, event: keyof DomainEvents) => void;
}

export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly remote = new EventEmitter();
  private relay: EventRelay | undefined;
  private readonly schedule: (deliver: () => void) => void;
  private readonly onListenerError: (error: unknown, event: keyof DomainEvents) => void;

  constructor(options: EventBusOptions = {}) {
    this.emitter.setMaxListeners(1000);
    this.remote.setMaxListeners(1000);
    this.schedule = options.schedule ?? ((deliver) => deliver());
    this.onListenerError = options.onListenerError ?? (() => {});
  }

  /** Sends every event emitted here, once delivered locally, to the other instances too. */
  attachRelay(relay: EventRelay): void {
    this.relay = relay;
  }

  emit<K extends EventName>(name: K, payload: DomainEvents[K]): void {
    this.schedule(() => {
      this.deliver(this.emitter, name, payload);
      this.relay?.publish(name, payload);
    });
  }

  /** An event another instance raised: only listeners registered with `remote: true` hear it. */
  receiveRemote(name: EventName, payload: unknown): void {
    this.deliver(this.remote, name, payload);
  }

  on<K extends EventName>(
    name: K,
    listener: (payload: DomainEvents[K]) => void,
    options: ListenOptions = {},
  ): () => void {
    this.emitter.on(name, listener);
    if (options.remote) this.remote.on(name, listener);
    return () => {
      this.emitter.off(name, listener);
      this.remote.off(name, listener);
    };
  }

  private deliver(emitter: EventEmitter, name: EventName, payload: unknown): void {
    for (const listener of emitter.listeners(name)) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(error, name);
      }
    }
  }
}
