// The pipeline's per-message writes on PostgreSQL as prepared statements on a `pg` pool: the same
// steps, rows and times as the SQLite fast path (held equal by test/integration/hot-store.test.ts),
// with PostgreSQL's own tools for several writers: INSERT … ON CONFLICT for everything a concurrent
// first message may also create, and a retried transaction when two create the same customer.
import type pg from 'pg';
import type { ChannelName } from '../../domain/channels.ts';
import { type ConsentDefault, consentOnFirstContact } from '../../domain/consent.ts';
import { outboxPriority } from '../../domain/outbox.ts';
import { readChat, readConversation, readCustomer, readIdentity } from '../hot/rows.ts';
import { int } from '../hot/values.ts';
import type { InboundRecord, PipelineStore, ReceivedMessage, ReplyCommit } from '../pipeline-store.ts';
import type { NewInteraction } from '../repositories/interactions.ts';
import type { Chat, Conversation, Customer, Identity } from '../types.ts';
import { firstOf, inTransaction, pgJson, pgTime, type Row, type Runner } from './pool.ts';

const TOUCH_AFTER_MS = 60_000;

const SQL = {
  // Dedupe and the sender's identity in one round trip: "claimed" is false for a replay; the
  // identity's columns are null when the sender is new.
  claim: `WITH claimed AS (INSERT INTO "ProcessedMessage" ("channel","messageId","createdAt") VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM claimed) AS "claimed", i.* FROM (SELECT 1) AS one
     LEFT JOIN "Identity" AS i ON i."channel" = $1 AND i."externalId" = $4`,
  customer: `SELECT * FROM "Customer" WHERE "id" = $1`,
  createCustomer: `INSERT INTO "Customer" ("name","marketingOptIn","firstSeenAt","lastSeenAt","createdAt","updatedAt") VALUES ($1,$3,$2,$2,$2,$2) RETURNING *`,
  createIdentity: `INSERT INTO "Identity" ("channel","externalId","customerId","displayName","createdAt","lastSeenAt") VALUES ($1,$2,$3,$4,$5,$5)
     ON CONFLICT ("channel","externalId") DO NOTHING RETURNING *`,
  touchIdentity: `WITH touched AS (UPDATE "Identity" SET "lastSeenAt" = $1, "displayName" = coalesce($2, "displayName") WHERE "id" = $3 RETURNING *),
     customer AS (UPDATE "Customer" SET "lastSeenAt" = $1, "updatedAt" = $1 WHERE "id" = (SELECT "customerId" FROM touched))
     SELECT * FROM touched`,
  chat: `SELECT * FROM "Chat" WHERE "channel" = $1 AND "externalId" = $2`,
  createChat: `INSERT INTO "Chat" ("channel","externalId","kind","title","createdAt") VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT ("channel","externalId") DO NOTHING RETURNING *`,
  retitleChat: `UPDATE "Chat" SET "title" = $1 WHERE "id" = $2 RETURNING *`,
  addMember: `INSERT INTO "ChatMember" ("chatId","customerId","joinedAt") VALUES ($1,$2,$3) ON CONFLICT DO NOTHING`,
  liveConversation: `SELECT * FROM "Conversation" WHERE "activeKey" = $1`,
  conversation: `SELECT * FROM "Conversation" WHERE "id" = $1`,
  openConversation: `INSERT INTO "Conversation" ("customerId","chatId","activeKey","status","createdAt","updatedAt") VALUES ($1,$2,$3,'bot',$4,$4)
     ON CONFLICT ("activeKey") DO NOTHING RETURNING *`,
  // The processed-message link, the log entry and (when the bot was addressed) the conversation's
  // last-inbound time in one round trip; the touched conversation comes back as the row (all null
  // when not addressed) with the log entry's id as "interactionId".
  log: `WITH linked AS (UPDATE "ProcessedMessage" SET "conversationId" = $2 WHERE "channel" = $4 AND "messageId" = $11),
     logged AS (INSERT INTO "Interaction" ("customerId","conversationId","chatId","channel","direction","kind","text","payload","staffId","createdAt")
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING "id"),
     touched AS (UPDATE "Conversation" SET "lastInboundAt" = $10, "updatedAt" = $10 WHERE "id" = $2 AND $12::boolean RETURNING *)
     SELECT logged."id" AS "interactionId", touched.* FROM logged LEFT JOIN touched ON true`,
  // Flow and state only while the bot owns the conversation; the failure count always. One statement.
  saveFlow: `UPDATE "Conversation" SET
       "flow" = CASE WHEN "status" = 'bot' THEN $1 ELSE "flow" END,
       "flowState" = CASE WHEN "status" = 'bot' THEN $2::jsonb ELSE "flowState" END,
       "failedTurns" = $3, "updatedAt" = $4 WHERE "id" = $5`,
  logEntry: `INSERT INTO "Interaction" ("customerId","conversationId","chatId","channel","direction","kind","text","payload","staffId","createdAt")
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
  // The language preference, only while the stored one is still what the message was received with.
  language: `UPDATE "Customer" SET "locale" = $1, "localeSource" = $2, "languageStreak" = $3, "updatedAt" = $4
     WHERE "id" = $5 AND "locale" IS NOT DISTINCT FROM $6 AND "localeSource" IS NOT DISTINCT FROM $7 AND "languageStreak" = $8`,
  tag: `INSERT INTO "CustomerTag" ("customerId","tag","source","createdAt") VALUES ($1,$2,$3,$4) ON CONFLICT ("customerId","tag") DO NOTHING`,
  enqueue: `INSERT INTO "OutboxMessage" ("channel","chatExternalId","customerId","conversationId","purpose","priority","sourceKey","text","buttons","meta","status","notBefore","attempts","createdAt")
     VALUES ($1,$2,$3,$4,$5,$12,$6,$7,$8,$9,'queued',$10,0,$11) RETURNING "id"`,
  // A reply and its log entry (payload + outboxId) in one round trip.
  enqueueLogged: `WITH queued AS (INSERT INTO "OutboxMessage" ("channel","chatExternalId","customerId","conversationId","purpose","priority","sourceKey","text","buttons","meta","status","notBefore","attempts","createdAt")
       VALUES ($1,$2,$3,$4,$5,$12,$6,$7,$8,$9,'queued',$10,0,$11) RETURNING "id")
     INSERT INTO "Interaction" ("customerId","conversationId","chatId","channel","direction","kind","text","payload","staffId","createdAt")
     SELECT $13::int, $14::int, $15::int, $16, $17, $18, $19, $20::jsonb || jsonb_build_object('outboxId', queued."id"), $21::int, $22::timestamp(3)
     FROM queued RETURNING ("payload"->>'outboxId')::int AS "id"`,
} as const;

type Name = keyof typeof SQL;

/** Another transaction created the same identity first: run the whole step again (it will find it). */
class LostRace extends Error {
  readonly code = '23505';
}

async function one(db: Runner, name: Name, values: unknown[]): Promise<Row | null> {
  return firstOf(db, `pipeline.${name}`, SQL[name], values);
}

async function required(db: Runner, name: Name, values: unknown[]): Promise<Row> {
  const row = await one(db, name, values);
  if (!row) throw new Error(`expected a row from ${name}`);
  return row;
}

export class PgPipelineStore implements PipelineStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly consentDefault: ConsentDefault = false,
  ) {}

  receive(record: InboundRecord): Promise<ReceivedMessage | null> {
    return inTransaction(this.pool, (db) => this.receiveIn(db, record));
  }

  async privateChat(channel: ChannelName, externalId: string): Promise<Chat | null> {
    const row = await one(this.pool, 'chat', [channel, externalId]);
    return row && readChat(row);
  }

  commit(commit: ReplyCommit): Promise<Array<{ id: number; channel: ChannelName }>> {
    return inTransaction(this.pool, (db) => this.commitIn(db, commit));
  }

  async conversation(id: number): Promise<Conversation | null> {
    const row = await one(this.pool, 'conversation', [id]);
    return row && readConversation(row);
  }

  private async receiveIn(db: Runner, record: InboundRecord): Promise<ReceivedMessage | null> {
    const at = pgTime(record.at);
    const claim = await required(db, 'claim', [record.channel, record.messageId, at, record.sender.externalId]);
    if (claim.claimed !== true) return null;
    const { identity, customer } = await this.identify(db, record, at, claim.id === null ? null : claim);
    const chat = await this.ensureChat(db, record, at);
    if (chat.kind === 'group')
      await db.query({ name: 'pipeline.addMember', text: SQL.addMember, values: [chat.id, customer.id, at] });
    const key = `${customer.id}:${chat.id}`;
    const live = await one(db, 'liveConversation', [key]);
    // A concurrent first message may open it between our read and our insert: then read it again.
    const row =
      live ??
      (await one(db, 'openConversation', [customer.id, chat.id, key, at])) ??
      (await required(db, 'liveConversation', [key]));
    const logged = await required(db, 'log', [
      customer.id,
      row.id,
      chat.id,
      record.channel,
      'in',
      record.interaction.kind,
      record.interaction.text,
      JSON.stringify(record.interaction.payload),
      null,
      at,
      record.messageId,
      record.addressed,
    ]);
    const conversation = readConversation(logged.id === null ? row : logged);
    return { customer, identity, chat, conversation, interactionId: int(logged.interactionId) };
  }

  private async identify(
    db: Runner,
    record: InboundRecord,
    at: string,
    found: Row | null,
  ): Promise<{ identity: Identity; customer: Customer }> {
    const name = record.sender.name ?? null;
    if (!found) {
      const consent = consentOnFirstContact(this.consentDefault, record.channel);
      const created = readCustomer(await required(db, 'createCustomer', [name, at, consent]));
      const identity = await one(db, 'createIdentity', [
        record.channel,
        record.sender.externalId,
        created.id,
        name,
        at,
      ]);
      if (!identity) throw new LostRace('identity created concurrently');
      return { identity: readIdentity(identity), customer: created };
    }
    let identity = readIdentity(found);
    const renamed = name !== null && name !== identity.displayName;
    if (renamed || record.at.getTime() - identity.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      identity = readIdentity(await required(db, 'touchIdentity', [at, renamed ? name : null, identity.id]));
    }
    let customer = readCustomer(await required(db, 'customer', [identity.customerId]));
    for (let hops = 0; customer.mergedIntoId !== null && hops < 10; hops++) {
      customer = readCustomer(await required(db, 'customer', [customer.mergedIntoId]));
    }
    return { identity, customer };
  }

  private async ensureChat(db: Runner, record: InboundRecord, at: string): Promise<Chat> {
    const lookup = [record.channel, record.chat.externalId];
    const existing = await one(db, 'chat', lookup);
    if (!existing) {
      const created = await one(db, 'createChat', [...lookup, record.chat.kind, record.chat.title ?? null, at]);
      return readChat(created ?? (await required(db, 'chat', lookup)));
    }
    const chat = readChat(existing);
    if (record.chat.title && record.chat.title !== chat.title) {
      return readChat(await required(db, 'retitleChat', [record.chat.title, chat.id]));
    }
    return chat;
  }

  private async commitIn(db: Runner, commit: ReplyCommit): Promise<Array<{ id: number; channel: ChannelName }>> {
    const now = pgTime(commit.at);
    await db.query({
      name: 'pipeline.saveFlow',
      text: SQL.saveFlow,
      values: [commit.flow.name, pgJson(commit.flow.state), commit.failedTurns, now, commit.conversationId],
    });
    for (const event of commit.profile.events) await this.logInteraction(db, event, event.payload ?? null);
    for (const { customerId, tag, source } of commit.profile.tags)
      await db.query({ name: 'pipeline.tag', text: SQL.tag, values: [customerId, tag, source, now] });
    const language = commit.profile.language;
    if (language) {
      const { from, to } = language;
      await db.query({
        name: 'pipeline.language',
        text: SQL.language,
        values: [
          to.locale,
          to.localeSource,
          to.languageStreak,
          now,
          language.customerId,
          from.locale,
          from.localeSource,
          from.languageStreak,
        ],
      });
    }
    const ids: Array<{ id: number; channel: ChannelName }> = [];
    for (const [index, row] of commit.outbound.outbox.entries()) {
      const entry = commit.outbound.interactions[index];
      const logged = entry
        ? [
            entry.customerId,
            entry.conversationId ?? null,
            entry.chatId ?? null,
            entry.channel,
            entry.direction,
            entry.kind,
            entry.text ?? null,
            JSON.stringify(entry.payload ?? {}),
            entry.staffId ?? null,
            pgTime(entry.at),
          ]
        : [];
      const inserted = await required(db, entry ? 'enqueueLogged' : 'enqueue', [
        row.channel,
        row.chatExternalId,
        row.customerId ?? null,
        row.conversationId ?? null,
        row.purpose,
        row.sourceKey ?? null,
        row.text,
        pgJson(row.buttons),
        pgJson(row.meta),
        pgTime(row.notBefore),
        pgTime(row.createdAt),
        outboxPriority(row.purpose),
        ...logged,
      ]);
      ids.push({ id: int(inserted.id), channel: row.channel });
    }
    return ids;
  }

  private async logInteraction(db: Runner, entry: NewInteraction, payload: unknown): Promise<void> {
    await db.query({
      name: 'pipeline.logEntry',
      text: SQL.logEntry,
      values: [
        entry.customerId,
        entry.conversationId ?? null,
        entry.chatId ?? null,
        entry.channel,
        entry.direction,
        entry.kind,
        entry.text ?? null,
        pgJson(payload),
        entry.staffId ?? null,
        pgTime(entry.at),
      ],
    });
  }
}
