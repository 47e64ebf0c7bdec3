// In-process domain events: the console's live updates (SSE), the Telegram staff relay and the
// outbox sender's wake-up all listen here instead of polling the database. An event describes
// something that happened, so it is delivered only once the change is committed.
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
  private readonly schedule: (deliver: () => void) => void;
  private readonly onListenerError: (error: unknown, event: keyof DomainEvents) => void;

  constructor(options: EventBusOptions = {}) {
    this.emitter.setMaxListeners(1000);
    this.schedule = options.schedule ?? ((deliver) => deliver());
    this.onListenerError = options.onListenerError ?? (() => {});
  }

  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    this.schedule(() => {
      for (const listener of this.emitter.listeners(name)) {
        try {
          listener(payload);
        } catch (error) {
          this.onListenerError(error, name);
        }
      }
    });
  }
  on<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
