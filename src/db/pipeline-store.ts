// The pipeline's own persistence: the few writes every message makes (dedupe, identify, chat,
// conversation, log; then flow state + replies) as two atomic steps. One implementation per dialect
// as prepared statements (sqlite-fast/ on better-sqlite3, pg-fast/ on a `pg` pool), held equal by one
// behaviour suite run on both databases (test/integration/hot-store.test.ts). Every time written is
// one the caller passes (the app clock), never the database's own now().
import type { ChannelName, ChatKind } from '../domain/channels.ts';
import type { TagSource } from '../domain/customer.ts';
import type { InteractionKind } from '../domain/interactions.ts';
import type { PlannedOutbound } from './outbound.ts';
import type { NewAuditEntry } from './repositories/audit.ts';
import type { NewInteraction } from './repositories/interactions.ts';
import type { Chat, Conversation, Customer, Identity, JsonObject, JsonValue } from './types.ts';

export interface InboundRecord {
  channel: ChannelName;
  messageId: string;
  at: Date;
  chat: { externalId: string; kind: ChatKind; title?: string };
  sender: { externalId: string; name?: string };
  /** The bot was addressed (private chat, mention, command or button). */
  addressed: boolean;
  interaction: { kind: Extract<InteractionKind, 'message' | 'button'>; text: string; payload: JsonObject };
}

export interface ReceivedMessage {
  customer: Customer;
  identity: Identity;
  chat: Chat;
  conversation: Conversation;
  interactionId: number;
}

export interface ReplyCommit {
  conversationId: number;
  at: Date;
  /** New flow and state, applied only while the bot still owns the conversation. */
  flow: { name: string | null; state: JsonValue | null };
  failedTurns: number;
  outbound: PlannedOutbound;
  /** The flow's profile events and tags for this turn (see core/turn.ts). */
  profile: {
    events: NewInteraction[];
    tags: Array<{ customerId: number; tag: string; source: TagSource }>;
    /** The customer's language preference after this message (src/crm/language.ts), if it changed. */
    language?: LanguageWrite;
    /** Audit entries of what the turn changed (src/crm/audit.ts builds them), in order. */
    audits?: NewAuditEntry[];
  };
}

/** The stored language preference columns of a customer. */
export interface StoredLanguage {
  locale: string | null;
  localeSource: string | null;
  languageStreak: number;
}

/**
 * A language preference change, applied only while the customer's stored preference is still `from`
 * (what the message was received with), so a change made meanwhile elsewhere (the console) wins;
 * the customer's explicit switch (English / 中文, `from` null) is written unconditionally.
 */
export interface LanguageWrite {
  customerId: number;
  /** null: the customer's explicit choice, written whatever is stored. */
  from: StoredLanguage | null;
  to: StoredLanguage;
}

export interface CommittedTurn {
  outbox: Array<{ id: number; channel: ChannelName }>;
  conversation: Conversation | null;
}

export interface PipelineStore {
  /** Dedupe, identify, chat, conversation and log in one transaction; null for a replayed message. */
  receive(record: InboundRecord): Promise<ReceivedMessage | null>;
  privateChat(channel: ChannelName, externalId: string): Promise<Chat | null>;
  /**
   * Saves flow state and writes replies to the outbox and the log in one transaction; returns the
   * outbox rows written and the conversation as committed (null if it no longer exists).
   */
  commit(commit: ReplyCommit): Promise<CommittedTurn>;
  conversation(id: number): Promise<Conversation | null>;
}
