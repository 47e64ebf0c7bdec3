// The pipeline's per-message writes on SQLite as synchronous better-sqlite3 prepared statements:
// an order of magnitude cheaper than going through the ORM for the hottest path (see
// docs/benchmarks.md). It uses its own connection to the same WAL file; the shared gate keeps it
// from running while a Prisma transaction is open, so the two connections never wait on each other.
// Receive and commit run in the connection's write batch (write-batch.ts): one transaction and one
// commit for the writes of every message handled in the same turn of the event loop.
import type Database from 'better-sqlite3';
import type { ChannelName } from '../../domain/channels.ts';
import { type ConsentDefault, consentOnFirstContact } from '../../domain/consent.ts';
import { outboxPriority } from '../../domain/outbox.ts';
import { inboundLogValues } from '../hot/inbound.ts';
import { type Row, readChat, readConversation, readCustomer, readIdentity } from '../hot/rows.ts';
import { int, timestamp } from '../hot/values.ts';
import type { CommittedTurn, InboundRecord, PipelineStore, ReceivedMessage, ReplyCommit } from '../pipeline-store.ts';
import type { NewInteraction } from '../repositories/interactions.ts';
import type { ReadWriteGate } from '../rw-lock.ts';
import type { Chat, Conversation, Customer, Identity, JsonValue } from '../types.ts';
import type { WriteBatch } from './write-batch.ts';

const TOUCH_AFTER_MS = 60_000;

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null;
}

export class SqlitePipelineStore implements PipelineStore {
  private readonly sql;

  constructor(
    private readonly db: Database.Database,
    private readonly gate: ReadWriteGate,
    private readonly batch: WriteBatch,
    private readonly consentDefault: ConsentDefault = false,
  ) {
    const prepare = (sql: string) => this.db.prepare(sql);
    this.sql = {
      claim: prepare(`INSERT OR IGNORE INTO "ProcessedMessage" ("channel","messageId","createdAt") VALUES (?,?,?)`),
      setProcessedConversation: prepare(
        `UPDATE "ProcessedMessage" SET "conversationId" = ? WHERE "channel" = ? AND "messageId" = ?`,
      ),
      identity: prepare(`SELECT * FROM "Identity" WHERE "channel" = ? AND "externalId" = ?`),
      customer: prepare(`SELECT * FROM "Customer" WHERE "id" = ?`),
      createCustomer: prepare(
        `INSERT INTO "Customer" ("name","marketingOptIn","firstSeenAt","lastSeenAt","createdAt","updatedAt") VALUES (?,?,?,?,?,?) RETURNING *`,
      ),
      createIdentity: prepare(
        `INSERT INTO "Identity" ("channel","externalId","customerId","displayName","createdAt","lastSeenAt") VALUES (?,?,?,?,?,?) RETURNING *`,
      ),
      touchIdentity: prepare(
        `UPDATE "Identity" SET "lastSeenAt" = ?, "displayName" = coalesce(?, "displayName") WHERE "id" = ? RETURNING *`,
      ),
      touchCustomer: prepare(`UPDATE "Customer" SET "lastSeenAt" = ?, "updatedAt" = ? WHERE "id" = ?`),
      chat: prepare(`SELECT * FROM "Chat" WHERE "channel" = ? AND "externalId" = ?`),
      createChat: prepare(
        `INSERT INTO "Chat" ("channel","externalId","kind","title","createdAt") VALUES (?,?,?,?,?) RETURNING *`,
      ),
      retitleChat: prepare(`UPDATE "Chat" SET "title" = ? WHERE "id" = ? RETURNING *`),
      addMember: prepare(`INSERT OR IGNORE INTO "ChatMember" ("chatId","customerId","joinedAt") VALUES (?,?,?)`),
      liveConversation: prepare(`SELECT * FROM "Conversation" WHERE "activeKey" = ?`),
      conversation: prepare(`SELECT * FROM "Conversation" WHERE "id" = ?`),
      openConversation: prepare(
        `INSERT INTO "Conversation" ("customerId","chatId","activeKey","status","createdAt","updatedAt") VALUES (?,?,?,'bot',?,?) RETURNING *`,
      ),
      touchConversation: prepare(`UPDATE "Conversation" SET "lastInboundAt" = ?, "updatedAt" = ? WHERE "id" = ?`),
      saveFlow: prepare(
        `UPDATE "Conversation" SET "flow" = ?, "flowState" = ?, "failedTurns" = ?, "updatedAt" = ? WHERE "id" = ? AND "status" = 'bot'`,
      ),
      saveFailures: prepare(`UPDATE "Conversation" SET "failedTurns" = ?, "updatedAt" = ? WHERE "id" = ?`),
      log: prepare(
        `INSERT INTO "Interaction" ("customerId","conversationId","chatId","channel","direction","kind","text","payload","staffId","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?)`,
      ),
      language: prepare(
        `UPDATE "Customer" SET "locale" = ?, "localeSource" = ?, "languageStreak" = ?, "updatedAt" = ? WHERE "id" = ?
         AND (? OR ("locale" IS ? AND "localeSource" IS ? AND "languageStreak" = ?))`,
      ),
      audit: prepare(
        `INSERT INTO "AuditEntry" ("actorType","actorId","action","entityType","entityId","details","createdAt") VALUES (?,?,?,?,?,?,?)`,
      ),
      tag: prepare(
        `INSERT INTO "CustomerTag" ("customerId","tag","source","createdAt") VALUES (?,?,?,?) ON CONFLICT ("customerId","tag") DO NOTHING`,
      ),
      enqueue: prepare(
        `INSERT INTO "OutboxMessage" ("channel","chatExternalId","customerId","conversationId","purpose","priority","sourceKey","text","buttons","meta","status","notBefore","attempts","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,'queued',?,0,?) RETURNING "id"`,
      ),
    };
  }

  receive(record: InboundRecord): Promise<ReceivedMessage | null> {
    return this.batch.run(() => this.receiveSync(record));
  }

  privateChat(channel: ChannelName, externalId: string): Promise<Chat | null> {
    return this.gate.sharedSync(() => this.one(this.sql.chat, [channel, externalId], readChat));
  }

  commit(commit: ReplyCommit): Promise<CommittedTurn> {
    return this.batch.run(() => this.commitSync(commit));
  }

  conversation(id: number): Promise<Conversation | null> {
    return this.gate.sharedSync(() => this.one(this.sql.conversation, [id], readConversation));
  }

  private receiveSync(record: InboundRecord): ReceivedMessage | null {
    const at = timestamp(record.at);
    if (this.sql.claim.run(record.channel, record.messageId, at).changes === 0) return null;
    const { identity, customer } = this.identify(record, at);
    const chat = this.ensureChat(record, at);
    if (chat.kind === 'group') this.sql.addMember.run(chat.id, customer.id, at);
    const key = `${customer.id}:${chat.id}`;
    let conversation =
      this.one(this.sql.liveConversation, [key], readConversation) ??
      this.required(this.sql.openConversation, [customer.id, chat.id, key, at, at], readConversation);
    this.sql.setProcessedConversation.run(conversation.id, record.channel, record.messageId);
    const logged = this.sql.log.run(...inboundLogValues(record, customer.id, conversation.id, chat.id, at));
    if (record.addressed) {
      // The row as the update leaves it, without reading it back (it was read a moment ago).
      this.sql.touchConversation.run(at, at, conversation.id);
      const touched = new Date(at);
      conversation = { ...conversation, lastInboundAt: touched, updatedAt: touched };
    }
    return { customer, identity, chat, conversation, interactionId: int(logged.lastInsertRowid) };
  }

  private identify(record: InboundRecord, at: string): { identity: Identity; customer: Customer } {
    const name = record.sender.name ?? null;
    let identity = this.one(this.sql.identity, [record.channel, record.sender.externalId], readIdentity);
    if (!identity) {
      const created = this.required(
        this.sql.createCustomer,
        [name, consentOnFirstContact(this.consentDefault, record.channel) ? 1 : 0, at, at, at, at],
        readCustomer,
      );
      identity = this.required(
        this.sql.createIdentity,
        [record.channel, record.sender.externalId, created.id, name, at, at],
        readIdentity,
      );
      return { identity, customer: created };
    }
    const renamed = name !== null && name !== identity.displayName;
    if (renamed || record.at.getTime() - identity.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      identity = this.required(this.sql.touchIdentity, [at, renamed ? name : null, identity.id], readIdentity);
      this.sql.touchCustomer.run(at, at, identity.customerId);
    }
    let customer = this.required(this.sql.customer, [identity.customerId], readCustomer);
    for (let hops = 0; customer.mergedIntoId !== null && hops < 10; hops++) {
      customer = this.required(this.sql.customer, [customer.mergedIntoId], readCustomer);
    }
    return { identity, customer };
  }

  private ensureChat(record: InboundRecord, at: string): Chat {
    const existing = this.one(this.sql.chat, [record.channel, record.chat.externalId], readChat);
    if (!existing) {
      return this.required(
        this.sql.createChat,
        [record.channel, record.chat.externalId, record.chat.kind, record.chat.title ?? null, at],
        readChat,
      );
    }
    if (record.chat.title && record.chat.title !== existing.title) {
      return this.required(this.sql.retitleChat, [record.chat.title, existing.id], readChat);
    }
    return existing;
  }

  private commitSync(commit: ReplyCommit): CommittedTurn {
    const now = timestamp(commit.at);
    const saved = this.sql.saveFlow.run(
      commit.flow.name,
      commit.flow.state === null ? null : JSON.stringify(commit.flow.state),
      commit.failedTurns,
      now,
      commit.conversationId,
    );
    if (saved.changes === 0) this.sql.saveFailures.run(commit.failedTurns, now, commit.conversationId);
    for (const event of commit.profile.events) this.logInteraction(event, event.payload ?? null);
    for (const { customerId, tag, source } of commit.profile.tags) this.sql.tag.run(customerId, tag, source, now);
    const language = commit.profile.language;
    if (language) {
      const { from, to } = language;
      this.sql.language.run(
        to.locale,
        to.localeSource,
        to.languageStreak,
        now,
        language.customerId,
        from === null ? 1 : 0,
        from?.locale ?? null,
        from?.localeSource ?? null,
        from?.languageStreak ?? 0,
      );
    }
    for (const entry of commit.profile.audits ?? []) {
      this.sql.audit.run(
        entry.actorType,
        entry.actorId ?? null,
        entry.action,
        entry.entityType,
        entry.entityId ?? null,
        entry.details ? JSON.stringify(entry.details) : null,
        timestamp(entry.at),
      );
    }
    const outbox = commit.outbound.outbox.map((row, index) => {
      const inserted = this.sql.enqueue.get(
        row.channel,
        row.chatExternalId,
        row.customerId ?? null,
        row.conversationId ?? null,
        row.purpose,
        outboxPriority(row.purpose),
        row.sourceKey ?? null,
        row.text,
        row.buttons === undefined || row.buttons === null ? null : JSON.stringify(row.buttons),
        row.meta ? JSON.stringify(row.meta) : null,
        timestamp(row.notBefore),
        timestamp(row.createdAt),
      );
      const id = isRow(inserted) ? int(inserted.id) : 0;
      const entry = commit.outbound.interactions[index];
      if (entry) this.logInteraction(entry, { ...(entry.payload ?? {}), outboxId: id });
      return { id, channel: row.channel };
    });
    return { outbox, conversation: this.one(this.sql.conversation, [commit.conversationId], readConversation) };
  }

  private logInteraction(entry: NewInteraction, payload: JsonValue | null): void {
    this.sql.log.run(
      entry.customerId,
      entry.conversationId ?? null,
      entry.chatId ?? null,
      entry.channel,
      entry.direction,
      entry.kind,
      entry.text ?? null,
      payload === null ? null : JSON.stringify(payload),
      entry.staffId ?? null,
      timestamp(entry.at),
    );
  }

  private one<T>(statement: Database.Statement, params: unknown[], read: (row: Row) => T): T | null {
    const row: unknown = statement.get(...params);
    return isRow(row) ? read(row) : null;
  }

  private required<T>(statement: Database.Statement, params: unknown[], read: (row: Row) => T): T {
    const found = this.one(statement, params, read);
    if (found === null) throw new Error('expected a row');
    return found;
  }
}
