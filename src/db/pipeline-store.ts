// The pipeline's own persistence: the few writes every message makes (dedupe, identify, chat,
// conversation, log; then flow state + replies) as two atomic steps. Kept behind one interface so
// SQLite can run them as synchronous prepared statements (sqlite-fast/) while PostgreSQL uses the
// repositories.
import type { ChannelName, ChatKind } from '../domain/channels.ts';
import type { TagSource } from '../domain/customer.ts';
import type { InteractionKind } from '../domain/interactions.ts';
import { type PlannedOutbound, withOutboxId } from './outbound.ts';
import type { NewInteraction } from './repositories/interactions.ts';
import type { Repositories } from './repositories.ts';
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
  profile: { events: NewInteraction[]; tags: Array<{ customerId: number; tag: string; source: TagSource }> };
}

export interface PipelineStore {
  /** Dedupe, identify, chat, conversation and log in one transaction; null for a replayed message. */
  receive(record: InboundRecord): Promise<ReceivedMessage | null>;
  privateChat(channel: ChannelName, externalId: string): Promise<Chat | null>;
  /** Saves flow state and writes replies to the outbox and the log in one transaction. */
  commit(commit: ReplyCommit): Promise<Array<{ id: number; channel: ChannelName }>>;
  conversation(id: number): Promise<Conversation | null>;
}

type Transaction = <T>(work: (repos: Repositories) => Promise<T>) => Promise<T>;

/** The portable implementation on the repositories (used for PostgreSQL). */
export class RepositoryPipelineStore implements PipelineStore {
  constructor(
    private readonly repos: () => Repositories,
    private readonly transaction: Transaction,
  ) {}

  receive(record: InboundRecord): Promise<ReceivedMessage | null> {
    return this.transaction(async (repos) => {
      if (!(await repos.processed.claim(record.channel, record.messageId, record.at))) return null;
      const { identity, customer } = await repos.customers.identify(
        record.channel,
        record.sender.externalId,
        record.sender.name,
        record.at,
      );
      const chat = await repos.chats.ensure({
        channel: record.channel,
        externalId: record.chat.externalId,
        kind: record.chat.kind,
        ...(record.chat.title ? { title: record.chat.title } : {}),
      });
      if (chat.kind === 'group') await repos.chats.addMember(chat.id, customer.id);
      const { conversation } = await repos.conversations.openOrGet(customer.id, chat.id, record.at);
      await repos.processed.setConversation(record.channel, record.messageId, conversation.id);
      const interaction = await repos.interactions.append({
        customerId: customer.id,
        conversationId: conversation.id,
        chatId: chat.id,
        channel: record.channel,
        direction: 'in',
        kind: record.interaction.kind,
        text: record.interaction.text,
        payload: record.interaction.payload,
        at: record.at,
      });
      const updated = record.addressed
        ? await repos.conversations.update(conversation.id, { lastInboundAt: record.at })
        : conversation;
      return { customer, identity, chat, conversation: updated, interactionId: interaction.id };
    });
  }

  privateChat(channel: ChannelName, externalId: string): Promise<Chat | null> {
    return this.repos().chats.find(channel, externalId);
  }

  commit(commit: ReplyCommit): Promise<Array<{ id: number; channel: ChannelName }>> {
    return this.transaction(async (repos) => {
      const current = await repos.conversations.get(commit.conversationId);
      await repos.conversations.update(commit.conversationId, {
        ...(current?.status === 'bot' ? { flow: commit.flow.name, flowState: commit.flow.state } : {}),
        failedTurns: commit.failedTurns,
      });
      const outbox = await repos.outbox.enqueue(commit.outbound.outbox);
      await repos.interactions.appendMany([
        ...commit.profile.events,
        ...commit.outbound.interactions.map((entry, index) => withOutboxId(entry, outbox[index]?.id ?? null)),
      ]);
      for (const { customerId, tag, source } of commit.profile.tags)
        await repos.customers.addTag(customerId, tag, source);
      return outbox.map((row) => ({ id: row.id, channel: row.channel }));
    });
  }

  conversation(id: number): Promise<Conversation | null> {
    return this.repos().conversations.get(id);
  }
}
