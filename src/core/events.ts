// In-process domain events: the console's live updates (SSE), the Telegram staff relay and the
// outbox sender's wake-up all listen here instead of polling the database.
import { EventEmitter } from 'node:events';

export interface DomainEvents {
  /** An interaction was logged (message in/out, staff reply, system event). */
  interaction: { id: number; customerId: number; conversationId: number | null; kind: string; direction: string };
  /** A conversation changed status, assignee or priority. */
  conversation: { id: number; status: string; assigneeId: number | null; reason?: string };
  /** Outbox rows were queued for a channel. */
  outbox: { channel: string; ids: number[] };
  /** An outbox row reached a final state. */
  delivered: { id: number; channel: string; chatExternalId: string; status: string };
  /** Staff desk activity the consoles show live: replies, notes, SLA warnings and breaches. */
  desk: { type: string; conversationId: number; staffId?: number | null; text?: string };
}

export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(1000);
  }
  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    this.emitter.emit(name, payload);
  }
  on<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
