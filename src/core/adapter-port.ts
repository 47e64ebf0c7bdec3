// What a channel adapter may ask of the running app (AdapterPort), and the staff desk as an outside
// staff console sees it (StaffDeskPort, used by the Telegram staff group). Both are plain data and
// functions: the composition root builds them from the crm services (src/core/ports.ts) and hands
// them to the adapters, which import these types through adapters/contract.ts. An adapter never sees
// a service, the store or the ORM.
import type { ConversationStatus } from '../domain/conversations.ts';
import type { JsonValue } from '../domain/json.ts';
import type { Attachment, ChannelName } from '../domain/messages.ts';
import type { PlatformRefusal } from '../domain/profile-events.ts';
import type { StaffConsoleOf } from '../domain/staff.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Logger } from '../kernel/logger.ts';

export interface AdapterPort {
  clock: Clock;
  log: Logger;
  /** Platform users as Guanxi knows them. */
  identities: {
    /** Whether the user has written before (has an identity on the channel). */
    isKnown(channel: ChannelName, externalId: string): Promise<boolean>;
    /** Records whether the bot can message the user privately (false: blocked, or never opened a chat). */
    setReachable(channel: ChannelName, externalId: string, reachable: boolean): Promise<void>;
    /**
     * Keeps a key that survives a change of the user's platform id (a WeChat handle or remark name)
     * and links a new platform id with a known key to the same customer.
     */
    reconcileStableKey(
      channel: ChannelName,
      user: { externalId: string; displayName: string; stableKey: string | undefined },
    ): Promise<void>;
    /** Keeps where a known user came from (an entry scene) on their profile; the first source stays. */
    recordSource(channel: ChannelName, externalId: string, source: string): Promise<void>;
  };
  /** Button data too long for the platform, kept server-side under a short key. */
  buttonPayloads: {
    put(key: string, data: string): Promise<void>;
    get(key: string): Promise<string | undefined>;
  };
  /** Small values an adapter keeps across restarts and instances (e.g. a chat's last numbered menu). */
  values: {
    /** Undefined when never set; validate what comes back. */
    get(key: string): Promise<unknown>;
    set(key: string, value: JsonValue): Promise<void>;
  };
  /**
   * Conversations on platforms that keep their own session state (WeCom 微信客服: bot, waiting pool,
   * a 接待人员). Changes made on the platform carry the reason `<channel>:<who>`.
   */
  conversations: {
    /**
     * A person took the chat on the platform: open in Guanxi, assigned to the staff account with that
     * platform user id (else unassigned), the bot silent.
     */
    takenOnPlatform(channel: ChannelName, chatId: string, by: string): Promise<void>;
    /** The platform ended the chat's session: the conversation is resolved. */
    endedOnPlatform(channel: ChannelName, chatId: string, by: string): Promise<void>;
    /** A person wrote to the customer from the platform's own app: logged as a staff message (once per id). */
    staffMessageOnPlatform(
      channel: ChannelName,
      chatId: string,
      message: { messageId: string; by: string; text: string; at: Date },
    ): Promise<void>;
    /** The platform refused to mirror a change made in Guanxi: the console shows why. */
    refusedOnPlatform(
      channel: ChannelName,
      chatId: string,
      refusal: { reason: PlatformRefusal; wanted: string },
    ): Promise<void>;
    /** Status changes made in Guanxi (console, bot, jobs) of conversations in `channel`'s chats, after commit. */
    onChange(channel: ChannelName, listener: (change: ConversationChange) => Promise<void>): () => void;
  };
  /** Where a platform's message pull stopped, per account (WeCom sync_msg cursors), kept in the database. */
  cursors: {
    get(channel: ChannelName, account: string): Promise<string | undefined>;
    set(channel: ChannelName, account: string, cursor: string): Promise<void>;
  };
  /** Serves a platform's webhook. */
  webhooks: WebhookHost;
  /** Files users send (photos): stored by the app like webchat uploads, referred to by id in the inbound. */
  files: {
    /** The largest image the app accepts; an adapter skips larger files without downloading them. */
    maxImageBytes: number;
    /** Stores an image sent by `owner` on `channel` (checked by content; throws when not an accepted image). */
    saveImage(channel: ChannelName, owner: string, bytes: Uint8Array, name?: string): Promise<Attachment>;
    /** The bytes of a stored file an outbox row sends (`OutboundMessage.image`). */
    read(id: string): Promise<{ attachment: Attachment; bytes: Buffer }>;
  };
}

export interface ConversationChange {
  /** The platform chat id (the customer's id in a private chat). */
  chatId: string;
  status: ConversationStatus;
  /** Who owns it now (open conversations), with their ids on platforms. */
  assignee: { staffId: number; wecomUserId: string | null } | null;
}

/** A webhook a platform posts updates to. */
export interface WebhookEndpoint {
  /** The path on the server, e.g. /telegram/webhook. */
  path: string;
  /** The request must carry this header with this value (compared in constant time); otherwise 401. */
  secretHeader: { name: string; value: string };
  /**
   * Receives the JSON object body (anything else is 400). A throw answers 500 and the platform redelivers.
   * Resolves to the JSON body to answer with (Telegram performs a Bot API call named by `method` in
   * it), or to nothing for `{ ok: true }`.
   */
  receive(body: object): Promise<object | undefined>;
}

/**
 * A webhook that authenticates each request itself from its query and raw body (WeCom's
 * msg_signature over an encrypted XML body): GET and POST at `path`, answered as plain text.
 */
export interface SignedWebhookEndpoint {
  path: string;
  /** The largest body accepted (bytes); larger is refused before it is read. */
  maxBodyBytes: number;
  /** GET (the platform checks the URL). Throw `UnauthorizedError` for a request that does not verify: 401. */
  verify(query: Record<string, string>): Promise<string>;
  /** POST. Throw `UnauthorizedError` before acting on a request that does not verify: 401, nothing done. */
  receive(query: Record<string, string>, body: string): Promise<string>;
}

export interface WebhookHost {
  /** Serves the endpoint on the main HTTP server; call before the server starts listening. */
  mount(endpoint: WebhookEndpoint): void;
  /** Serves a self-authenticating endpoint on the main HTTP server; call before it starts listening. */
  mountSigned(endpoint: SignedWebhookEndpoint): void;
  /** Serves the endpoint on a listener of its own (e.g. TELEGRAM_WEBHOOK_PORT). */
  listen(
    endpoint: WebhookEndpoint,
    at: { host: string; port: number },
  ): Promise<{ address: string; close(): Promise<void> }>;
}

/** A staff member acting from an outside console. */
export interface StaffMember {
  staffId: number;
  role: 'admin' | 'agent';
  name: string;
}

/** A conversation in the staff queue, as a console shows it. */
export interface RelayedConversation {
  conversation: { id: number; priority: number; firstResponseDueAt: Date | null; staffThreadId: string | null };
  customer: { id: number; name: string | null; tier: string };
}

/** An outside staff console, as an adapter implements it. */
export type StaffConsole = StaffConsoleOf<RelayedConversation>;

/** The customer behind a conversation, for a staff member allowed to see it. */
export interface StaffProfile {
  customer: { id: number; name: string | null; tier: string; pointsBalance: number };
  identities: Array<{ channel: string; externalId: string; displayName: string | null }>;
  tags: string[];
  orders: Array<{ orderNo: string; status: string }>;
  cases: Array<{ caseNo: string; type: string; status: string }>;
}

/**
 * The staff desk for one outside console platform. Every decision (who may see or do what, audit)
 * is the desk's, exactly as for the web console.
 */
export interface StaffDeskPort {
  /** Registers the console for desk events; returns the function that removes it. */
  attach(console: StaffConsole): () => void;
  /** The active staff member registered with this platform user id, or null. */
  member(userId: string): Promise<StaffMember | null>;
  /** Audits an attempt to act by someone who is not active staff. */
  refuse(attempt: { userId: string; conversationId: number | null; command: string; chatId: string }): Promise<void>;
  take(member: StaffMember, conversationId: number): Promise<void>;
  release(member: StaffMember, conversationId: number): Promise<void>;
  resolve(member: StaffMember, conversationId: number): Promise<void>;
  /** Sends the text to the customer on their channel. */
  reply(member: StaffMember, conversationId: number, text: string): Promise<void>;
  /** An internal note, never sent to the customer. */
  note(member: StaffMember, conversationId: number, text: string): Promise<void>;
  profile(member: StaffMember, conversationId: number): Promise<StaffProfile>;
  /** Where each conversation lives in the console chat, and which console message belongs to which conversation. */
  threads: {
    threadOf(conversationId: number): Promise<string | null>;
    setThread(conversationId: number, thread: string): Promise<void>;
    setThreadIfUnset(conversationId: number, thread: string): Promise<void>;
    link(chatId: string, messageKey: string, conversationId: number): Promise<void>;
    conversationOf(chatId: string, messageKey: string): Promise<number | null>;
  };
}
