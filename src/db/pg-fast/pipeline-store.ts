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
import type {
  CommittedTurn,
  InboundRecord,
  LanguageWrite,
  PipelineStore,
  ReceivedMessage,
  ReplyCommit,
} from '../pipeline-store.ts';
import type { NewInteraction } from '../repositories/interactions.ts';
import type { Chat, Conversation, Customer, Identity } from '../types.ts';
import { firstOf, inTransaction, pgJson, pgTime, type Row, type Runner, retrying } from './pool.ts';

const TOUCH_AFTER_MS = 60_000;

/** The tables whose rows the one-statement receive returns side by side, each under its own prefix. */
const RECEIVED = { i: 'Identity', cu: 'Customer', ch: 'Chat', co: 'Conversation' } as const;
type Prefix = keyof typeof RECEIVED;

/**
 * A known sender's message in one statement (one round trip, one commit, no BEGIN): when identity,
 * unmerged customer, chat and live conversation all exist, it claims the message id (linked to the
 * conversation), touches identity and customer (renamed, or last seen over a minute ago), retitles
 * the chat, adds a group member, logs the message and touches the conversation (when addressed), and
 * returns the rows as updated. Every write depends on the claim, and the claim on all four rows: when
 * one is missing ("found" false) nothing is written and the caller runs the general transaction.
 * Parameters: 1 channel, 2 messageId, 3 at, 4 sender, 5 chat, 6 new name, 7 touch-before, 8 chat title,
 * 9 kind, 10 text, 11 payload, 12 addressed. `columns` is the prefixed select list of RECEIVED.
 */
function receiveKnownSql(columns: string): string {
  return `WITH
  ident AS (SELECT * FROM "Identity" WHERE "channel" = $1 AND "externalId" = $4),
  cust AS (SELECT * FROM "Customer" WHERE "id" = (SELECT "customerId" FROM ident) AND "mergedIntoId" IS NULL),
  chat AS (SELECT * FROM "Chat" WHERE "channel" = $1 AND "externalId" = $5),
  conv AS (SELECT v.* FROM "Conversation" AS v, cust, chat WHERE v."activeKey" = cust."id" || ':' || chat."id"),
  claimed AS (INSERT INTO "ProcessedMessage" ("channel","messageId","createdAt","conversationId")
    SELECT $1, $2, $3::timestamp(3), conv."id" FROM conv ON CONFLICT DO NOTHING RETURNING 1),
  ti AS (UPDATE "Identity" SET "lastSeenAt" = $3::timestamp(3), "displayName" = coalesce($6::text, "displayName")
    WHERE "id" = (SELECT "id" FROM ident) AND EXISTS (SELECT 1 FROM claimed)
      AND (($6::text IS NOT NULL AND $6::text IS DISTINCT FROM "displayName") OR "lastSeenAt" < $7::timestamp(3))
    RETURNING *),
  tc AS (UPDATE "Customer" SET "lastSeenAt" = $3::timestamp(3), "updatedAt" = $3::timestamp(3)
    WHERE "id" = (SELECT "customerId" FROM ti) RETURNING *),
  tch AS (UPDATE "Chat" SET "title" = $8::text WHERE "id" = (SELECT "id" FROM chat) AND EXISTS (SELECT 1 FROM claimed)
    AND $8::text IS NOT NULL AND $8::text IS DISTINCT FROM "title" RETURNING *),
  member AS (INSERT INTO "ChatMember" ("chatId","customerId","joinedAt")
    SELECT chat."id", cust."id", $3::timestamp(3) FROM chat, cust WHERE chat."kind" = 'group' AND EXISTS (SELECT 1 FROM claimed)
    ON CONFLICT DO NOTHING),
  logged AS (INSERT INTO "Interaction" ("customerId","conversationId","chatId","channel","direction","kind","text","payload","staffId","createdAt")
    SELECT cust."id", conv."id", chat."id", $1, 'in', $9::text, $10::text, $11::jsonb, NULL, $3::timestamp(3)
    FROM cust, conv, chat WHERE EXISTS (SELECT 1 FROM claimed) RETURNING "id"),
  tv AS (UPDATE "Conversation" SET "lastInboundAt" = $3::timestamp(3), "updatedAt" = $3::timestamp(3)
    WHERE "id" = (SELECT "id" FROM conv) AND $12::boolean AND EXISTS (SELECT 1 FROM claimed) RETURNING *)
  SELECT EXISTS (SELECT 1 FROM conv) AS "found", EXISTS (SELECT 1 FROM claimed) AS "claimed",
    (SELECT "id" FROM logged) AS "interactionId", ${columns}
  FROM (SELECT 1) AS one
  LEFT JOIN (SELECT * FROM ti UNION ALL SELECT * FROM ident WHERE NOT EXISTS (SELECT 1 FROM ti)) AS i ON true
  LEFT JOIN (SELECT * FROM tc UNION ALL SELECT * FROM cust WHERE NOT EXISTS (SELECT 1 FROM tc)) AS cu ON true
  LEFT JOIN (SELECT * FROM tch UNION ALL SELECT * FROM chat WHERE NOT EXISTS (SELECT 1 FROM tch)) AS ch ON true
  LEFT JOIN (SELECT * FROM tv UNION ALL SELECT * FROM conv WHERE NOT EXISTS (SELECT 1 FROM tv)) AS co ON true`;
}

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
  // A turn's whole commit in one statement (one round trip, one commit): flow state, tags, outbox rows
  // (ids drawn first, so each log entry can carry its row's id) and log entries (profile events, then
  // the replies', in that order, as on SQLite) and the language preference; returns the outbox ids in
  // order beside the conversation as saved (all null if it is gone). Parameters: see commitValues.
  commitTurn: `WITH
  saved AS (UPDATE "Conversation" SET
      "flow" = CASE WHEN "status" = 'bot' THEN $1 ELSE "flow" END,
      "flowState" = CASE WHEN "status" = 'bot' THEN $2::jsonb ELSE "flowState" END,
      "failedTurns" = $3, "updatedAt" = $4::timestamp(3) WHERE "id" = $5 RETURNING *),
  spoken AS (UPDATE "Customer" SET "locale" = $32, "localeSource" = $33, "languageStreak" = $34::int, "updatedAt" = $4::timestamp(3)
    WHERE $39::boolean AND "id" = $35::int AND "locale" IS NOT DISTINCT FROM $36::text
      AND "localeSource" IS NOT DISTINCT FROM $37::text AND "languageStreak" = $38::int),
  tagged AS (INSERT INTO "CustomerTag" ("customerId","tag","source","createdAt")
    SELECT t."customerId", t."tag", t."source", $4::timestamp(3) FROM unnest($6::int[], $7::text[], $8::text[]) AS t("customerId","tag","source")
    ON CONFLICT ("customerId","tag") DO NOTHING),
  planned AS MATERIALIZED (SELECT nextval('"OutboxMessage_id_seq"')::int AS "id", o.*
    FROM unnest($9::text[], $10::text[], $11::int[], $12::int[], $13::text[], $14::int[], $15::text[], $16::text[],
      $17::jsonb[], $18::jsonb[], $19::timestamp(3)[], $20::timestamp(3)[]) WITH ORDINALITY
      AS o("channel","chatExternalId","customerId","conversationId","purpose","priority","sourceKey","text","buttons","meta","notBefore","createdAt","n")),
  queued AS (INSERT INTO "OutboxMessage" ("id","channel","chatExternalId","customerId","conversationId","purpose","priority","sourceKey","text","buttons","meta","status","notBefore","attempts","createdAt")
    SELECT "id","channel","chatExternalId","customerId","conversationId","purpose","priority","sourceKey","text","buttons","meta",'queued',"notBefore",0,"createdAt"
    FROM planned ORDER BY "n"),
  logged AS (INSERT INTO "Interaction" ("customerId","conversationId","chatId","channel","direction","kind","text","payload","staffId","createdAt")
    SELECT e."customerId", e."conversationId", e."chatId", e."channel", e."direction", e."kind", e."text",
      CASE WHEN p."id" IS NULL THEN e."payload" ELSE coalesce(e."payload", '{}'::jsonb) || jsonb_build_object('outboxId', p."id") END,
      e."staffId", e."createdAt"
    FROM unnest($21::int[], $22::int[], $23::int[], $24::text[], $25::text[], $26::text[], $27::text[], $28::jsonb[], $29::int[],
      $30::timestamp(3)[], $31::int[]) WITH ORDINALITY
      AS e("customerId","conversationId","chatId","channel","direction","kind","text","payload","staffId","createdAt","outbox","n")
    LEFT JOIN planned AS p ON p."n" = e."outbox"
    ORDER BY e."n")
  SELECT ARRAY(SELECT "id" FROM planned ORDER BY "n") AS "outboxIds", saved.* FROM (SELECT 1) AS one LEFT JOIN saved ON true`,
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

/** One JS-side array per column, for a multi-row statement over unnest(…). */
function columnsOf<T>(items: T[], pick: Array<(item: T) => unknown>): unknown[][] {
  return pick.map((get) => items.map(get));
}

function interactionColumns(entry: NewInteraction, payload: string | null, outbox: number | null): unknown[] {
  return [
    entry.customerId,
    entry.conversationId ?? null,
    entry.chatId ?? null,
    entry.channel,
    entry.direction,
    entry.kind,
    entry.text ?? null,
    payload,
    entry.staffId ?? null,
    pgTime(entry.at),
    outbox,
  ];
}

/** $32–$39 of SQL.commitTurn: the language preference write (only while the stored preference is
 * still what the message was received with, so a switch made during the turn wins), or a flag that
 * skips it. */
function languageValues(language: LanguageWrite | undefined): unknown[] {
  if (!language) return [null, null, 0, 0, null, null, 0, false];
  const { from, to } = language;
  return [
    to.locale,
    to.localeSource,
    to.languageStreak,
    language.customerId,
    from.locale,
    from.localeSource,
    from.languageStreak,
    true,
  ];
}

/** The parameters of SQL.commitTurn. */
function commitValues(commit: ReplyCommit): unknown[] {
  const now = pgTime(commit.at);
  const { tags, events } = commit.profile;
  const { outbox, interactions } = commit.outbound;
  const logged: unknown[][] = events.map((event) => interactionColumns(event, pgJson(event.payload ?? null), null));
  for (const [index, entry] of interactions.entries()) {
    if (index < outbox.length) logged.push(interactionColumns(entry, JSON.stringify(entry.payload ?? {}), index + 1));
  }
  return [
    commit.flow.name,
    pgJson(commit.flow.state),
    commit.failedTurns,
    now,
    commit.conversationId,
    ...columnsOf(tags, [(t) => t.customerId, (t) => t.tag, (t) => t.source]),
    ...columnsOf(outbox, [
      (row) => row.channel,
      (row) => row.chatExternalId,
      (row) => row.customerId ?? null,
      (row) => row.conversationId ?? null,
      (row) => row.purpose,
      (row) => outboxPriority(row.purpose),
      (row) => row.sourceKey ?? null,
      (row) => row.text,
      (row) => pgJson(row.buttons),
      (row) => pgJson(row.meta),
      (row) => pgTime(row.notBefore),
      (row) => pgTime(row.createdAt),
    ]),
    ...Array.from({ length: 11 }, (_, column) => logged.map((values) => values[column])),
    ...languageValues(commit.profile.language),
  ];
}

export class PgPipelineStore implements PipelineStore {
  /** The known-sender receive statement, built once the tables' columns are known. */
  private receiveKnownText: Promise<string> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly consentDefault: ConsentDefault = false,
  ) {}

  async receive(record: InboundRecord): Promise<ReceivedMessage | null> {
    const known = await retrying(() => this.receiveKnown(record));
    if (known !== undefined) return known;
    return inTransaction(this.pool, (db) => this.receiveIn(db, record));
  }

  async privateChat(channel: ChannelName, externalId: string): Promise<Chat | null> {
    const row = await one(this.pool, 'chat', [channel, externalId]);
    return row && readChat(row);
  }

  async commit(commit: ReplyCommit): Promise<CommittedTurn> {
    const values = commitValues(commit);
    const row = await retrying(() => firstOf(this.pool, 'pipeline.commitTurn', SQL.commitTurn, values));
    const ids = Array.isArray(row?.outboxIds) ? row.outboxIds : [];
    return {
      outbox: commit.outbound.outbox.map((entry, index) => ({ id: int(ids[index]), channel: entry.channel })),
      conversation: row && row.id !== null ? readConversation(row) : null,
    };
  }

  async conversation(id: number): Promise<Conversation | null> {
    const row = await one(this.pool, 'conversation', [id]);
    return row && readConversation(row);
  }

  /**
   * The one-statement receive of a known sender (see receiveKnownSql): the message as received, null
   * for a replay, or undefined when a row is missing and the general transaction must run instead.
   */
  private async receiveKnown(record: InboundRecord): Promise<ReceivedMessage | null | undefined> {
    this.receiveKnownText ??= this.loadReceiveKnown();
    const text = await this.receiveKnownText;
    const name = record.sender.name ?? null;
    const row = await firstOf(this.pool, 'pipeline.receiveKnown', text, [
      record.channel,
      record.messageId,
      pgTime(record.at),
      record.sender.externalId,
      record.chat.externalId,
      name,
      pgTime(new Date(record.at.getTime() - TOUCH_AFTER_MS)),
      record.chat.title || null,
      record.interaction.kind,
      record.interaction.text,
      JSON.stringify(record.interaction.payload),
      record.addressed,
    ]);
    if (row?.found !== true) return undefined;
    if (row.claimed !== true) return null;
    const part = (prefix: Prefix): Row => {
      const out: Row = {};
      const start = `${prefix}.`;
      for (const [key, value] of Object.entries(row)) if (key.startsWith(start)) out[key.slice(start.length)] = value;
      return out;
    };
    return {
      identity: readIdentity(part('i')),
      customer: readCustomer(part('cu')),
      chat: readChat(part('ch')),
      conversation: readConversation(part('co')),
      interactionId: int(row.interactionId),
    };
  }

  /** Builds receiveKnownSql's select list from the columns the tables have (read once per pool). */
  private async loadReceiveKnown(): Promise<string> {
    try {
      const { rows } = await this.pool.query<{ table: string; column: string }>(
        `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = ANY($1::text[]) ORDER BY table_name, ordinal_position`,
        [Object.values(RECEIVED)],
      );
      const list = Object.entries(RECEIVED).flatMap(([prefix, table]) =>
        rows.filter((r) => r.table === table).map((r) => `${prefix}."${r.column}" AS "${prefix}.${r.column}"`),
      );
      return receiveKnownSql(list.join(', '));
    } catch (error) {
      this.receiveKnownText = undefined;
      throw error;
    }
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
}
