// Where escalated conversations are mirrored for staff outside the web console (the Telegram staff
// group implements this). The desk calls the hub; the hub fans out to every registered relay and
// never lets a relay failure break the customer-facing operation.

import type { Store } from '../db/store.ts';
import type { Conversation, Customer } from '../db/types.ts';
import type { StaffActionKind, StaffConsoleOf } from '../domain/staff.ts';
import type { EventBus } from '../kernel/events.ts';
import type { Logger } from '../kernel/logger.ts';

export interface RelayConversation {
  conversation: Conversation;
  customer: Customer;
}

export type { StaffActionKind };

/** A console the desk relays to (the Telegram staff group implements it through its port). */
export type StaffRelay = StaffConsoleOf<RelayConversation>;

export class StaffRelayHub {
  private readonly relays: StaffRelay[] = [];

  private stopListening: (() => void) | undefined;

  constructor(
    private readonly log: Logger,
    private readonly store: Store,
    private readonly events: EventBus,
  ) {}

  /**
   * Customer messages in staff-owned conversations are relayed from the pipeline's 'interaction'
   * event (the pipeline stays unaware of relays). Listening starts with the first relay.
   */
  private listen(): void {
    this.stopListening ??= this.events.on('interaction', (event) => {
      if (event.direction !== 'in' || event.conversationId === null) return;
      void this.relayInbound(event.id, event.conversationId).catch((error: unknown) =>
        this.log.warn({ err: error, conversationId: event.conversationId }, 'customer message relay failed'),
      );
    });
  }

  private async relayInbound(interactionId: number, conversationId: number): Promise<void> {
    const { repos } = this.store;
    const conversation = await repos.conversations.get(conversationId);
    if (conversation?.status !== 'pending' && conversation?.status !== 'open') return;
    const [interaction, customer] = await Promise.all([
      repos.desk.interaction(interactionId),
      repos.customers.get(conversation.customerId),
    ]);
    if (!interaction || !customer) return;
    const text = interaction.text ?? '';
    await this.notify('customer_message', conversationId, (relay) =>
      relay.onCustomerMessage({ conversation, customer, text }),
    );
  }

  add(relay: StaffRelay): () => void {
    this.relays.push(relay);
    this.listen();
    return () => {
      const at = this.relays.indexOf(relay);
      if (at >= 0) this.relays.splice(at, 1);
      if (this.relays.length === 0) {
        this.stopListening?.();
        this.stopListening = undefined;
      }
    };
  }

  get size(): number {
    return this.relays.length;
  }

  /** Calls `send` for every relay, logging (not throwing) failures. */
  async notify(kind: string, conversationId: number, send: (relay: StaffRelay) => Promise<void>): Promise<void> {
    for (const relay of this.relays) {
      try {
        await send(relay);
      } catch (error) {
        this.log.warn({ err: error, kind, conversationId }, 'staff relay failed');
      }
    }
  }
}
