// Where escalated conversations are mirrored for staff outside the web console (the Telegram staff
// group implements this). The desk calls the hub; the hub fans out to every registered relay and
// never lets a relay failure break the customer-facing operation.
import type { Logger } from '../core/logger.ts';
import type { Conversation, Customer } from '../db/types.ts';

export interface RelayConversation {
  conversation: Conversation;
  customer: Customer;
}

export type StaffActionKind = 'take' | 'reply' | 'note' | 'transfer' | 'release' | 'resolve' | 'requeue';

export interface StaffRelay {
  /** A conversation entered the queue (open a topic / post a header message). */
  onEscalated(event: RelayConversation & { reason: string; caseNo?: string }): Promise<void>;
  /** The customer wrote while staff own the conversation. */
  onCustomerMessage(event: RelayConversation & { text: string }): Promise<void>;
  /** A staff member acted in any console (so the other consoles show it). */
  onStaffAction(
    event: RelayConversation & { action: StaffActionKind; staffName: string; text?: string; source: string },
  ): Promise<void>;
  /** An SLA is about to be breached, or was. */
  onSlaAlert(
    event: RelayConversation & { kind: 'warning' | 'breach'; dueAt: Date; assigneeName?: string },
  ): Promise<void>;
}

export class StaffRelayHub {
  private readonly relays: StaffRelay[] = [];

  constructor(private readonly log: Logger) {}

  add(relay: StaffRelay): () => void {
    this.relays.push(relay);
    return () => {
      const at = this.relays.indexOf(relay);
      if (at >= 0) this.relays.splice(at, 1);
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
