// The pipeline's per-message writes on PostgreSQL as prepared statements on a `pg` pool: the same
// steps, rows and times as the SQLite fast path (held equal by test/integration/hot-store.test.ts),
// with PostgreSQL's own tools for several writers: INSERT … ON CONFLICT for everything a concurrent
// first message may also create, and a retried transaction when two create the same customer.
import type pg from 'pg';
import type { ChannelName } from '../../domain/channels.ts';
import { type ConsentDefault, consentOnFirstContact } from '../../domain/consent.ts';
import { outboxPriority } from '../../domain/outbox.ts';
import { inboundLogValues } from '../hot/inbound.ts';
import { readChat, readConversation, readCustomer, readIdentity, readOutboxMessage } from '../hot/rows.ts';
import { int } from '../hot/values.ts';
import type { SentMark } from '../outbox-queue.ts';
import type { CommittedTurn, InboundRecord, PipelineStore, ReceivedMessage, ReplyCommit } from '../pipeline-store.ts';
import type { NewInteraction } from '../repositories/interactions.ts';
import type { Chat, Conversation, Customer, Identity, JsonObject, OutboxMessage } from '../types.ts';
import { GroupCommit } from './group-commit.ts';
import { claimableIds } from './outbox-queue.ts';
import {
  firstOf,
  inTransaction,
  type JsonRowShape,
  jsonRowShapes,
  pgTime,
  type Row,
  type Runner,
  retrying,
  rowFromJson,
  rowsFromJson,
  rowsOf,
} from './pool.ts';

const TOUCH_AFTER_MS = 60_000;

/** The tables whose rows the one-statement receive returns, each as one JSON column under its alias. */
const RECEIVED = { i: 'Identity', cu: 'Customer', ch: 'Chat', co: 'Conversation' } as const;

/** The tables whose rows come back as JSON (receive, commit, a carried claim). */
const JSON_TABLES = [...Object.values(RECEIVED), 'OutboxMessage'];

/** An outbox claim waiting for the next commit statement (see carryClaim). */
interface CarriedClaim {
  channel: ChannelName;
  limit: number;
  claimedBy: string;
  now: Date;
  settle: (rows: OutboxMessage[] | undefined) => void;
}

/**
 * A known sender's message in one statement (one round trip, one commit, no BEGIN): when identity,
 * unmerged customer, chat and live conversation all exist, it claims the message id (linked to the
 * conversation), touches identity and customer (renamed, or last seen over a minute ago), retitles
 * the chat, adds a group member, logs the message and touches the conversation (when addressed), and
 * returns the rows as updated (or as found), each as JSON (see rowFromJson). Every write depends on the claim, and
 * the claim on all four rows: when one is missing ("found" false) nothing is written and the caller
 * runs the general transaction.
 * Parameters: 1 channel, 2 messageId, 3 at, 4 sender, 5 chat, 6 new name, 7 touch-before, 8 chat title,
 * 9 kind, 10 text, 11 payload, 12 addressed.
 */
const RECEIVE_KNOWN = `WITH
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
    (SELECT "id" FROM logged) AS "interactionId",
    coalesce((SELECT to_json(ti) FROM ti), (SELECT to_json(ident) FROM ident)) AS "i",
    coalesce((SELECT to_json(tc) FROM tc), (SELECT to_json(cust) FROM cust)) AS "cu",
    coalesce((SELECT to_json(tch) FROM tch), (SELECT to_json(chat) FROM chat)) AS "ch",
    coalesce((SELECT to_json(tv) FROM tv), (SELECT to_json(conv) FROM conv)) AS "co"`;

/**
 * RECEIVE_KNOWN for several messages in one statement (one round trip, one commit): the receives
 * that arrive while an earlier one is in flight (see GroupCommit). Parameter 1 is a JSON array of
 * the messages (see knownRow), numbered "k". The same writes as RECEIVE_KNOWN per message; log
 * entries take their ids in the batch's order. A message whose customer another message of the batch
 * also has (two identities of one merged customer) or whose chat another also has is left alone, as
 * is one with a row missing ("found" false): the caller receives it by itself. Returns one row per
 * message, in order, with RECEIVE_KNOWN's columns.
 */
const RECEIVE_KNOWN_BATCH = `WITH
  recs AS MATERIALIZED (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r("k" int, "channel" text, "messageId" text,
      "at" timestamp(3), "sender" text, "chat" text, "name" text, "touchBefore" timestamp(3), "title" text, "kind" text,
      "text" text, "payload" jsonb, "addressed" boolean)),
  found AS MATERIALIZED (SELECT * FROM (SELECT r.*, i."id" AS "identityId", cu."id" AS "customerId", ch."id" AS "chatId",
      ch."kind" AS "chatKind", v."id" AS "conversationId", to_json(i) AS "i", to_json(cu) AS "cu", to_json(ch) AS "ch",
      to_json(v) AS "co", count(*) OVER (PARTITION BY cu."id") AS "perCustomer", count(*) OVER (PARTITION BY ch."id") AS "perChat"
    FROM recs AS r
    JOIN "Identity" AS i ON i."channel" = r."channel" AND i."externalId" = r."sender"
    JOIN "Customer" AS cu ON cu."id" = i."customerId" AND cu."mergedIntoId" IS NULL
    JOIN "Chat" AS ch ON ch."channel" = r."channel" AND ch."externalId" = r."chat"
    JOIN "Conversation" AS v ON v."activeKey" = cu."id" || ':' || ch."id") AS x
    WHERE "perCustomer" = 1 AND "perChat" = 1),
  claimed AS (INSERT INTO "ProcessedMessage" ("channel","messageId","createdAt","conversationId")
    SELECT "channel", "messageId", "at", "conversationId" FROM found ORDER BY "k" ON CONFLICT DO NOTHING
    RETURNING "channel", "messageId"),
  ok AS MATERIALIZED (SELECT f.*, nextval('"Interaction_id_seq"')::int AS "interactionId" FROM found AS f
    WHERE EXISTS (SELECT 1 FROM claimed AS c WHERE c."channel" = f."channel" AND c."messageId" = f."messageId")
    ORDER BY f."k"),
  ti AS (UPDATE "Identity" AS i SET "lastSeenAt" = o."at", "displayName" = coalesce(o."name", i."displayName")
    FROM ok AS o WHERE i."id" = o."identityId"
      AND ((o."name" IS NOT NULL AND o."name" IS DISTINCT FROM i."displayName") OR i."lastSeenAt" < o."touchBefore")
    RETURNING i.*),
  tc AS (UPDATE "Customer" AS c SET "lastSeenAt" = t."lastSeenAt", "updatedAt" = t."lastSeenAt"
    FROM ti AS t WHERE c."id" = t."customerId" RETURNING c.*),
  tch AS (UPDATE "Chat" AS c SET "title" = o."title" FROM ok AS o
    WHERE c."id" = o."chatId" AND o."title" IS NOT NULL AND o."title" IS DISTINCT FROM c."title" RETURNING c.*),
  member AS (INSERT INTO "ChatMember" ("chatId","customerId","joinedAt")
    SELECT "chatId", "customerId", "at" FROM ok WHERE "chatKind" = 'group' ORDER BY "k" ON CONFLICT DO NOTHING),
  logged AS (INSERT INTO "Interaction" ("id","customerId","conversationId","chatId","channel","direction","kind","text","payload","staffId","createdAt")
    SELECT "interactionId", "customerId", "conversationId", "chatId", "channel", 'in', "kind", "text", "payload", NULL, "at"
    FROM ok ORDER BY "k"),
  tv AS (UPDATE "Conversation" AS v SET "lastInboundAt" = o."at", "updatedAt" = o."at" FROM ok AS o
    WHERE v."id" = o."conversationId" AND o."addressed" RETURNING v.*)
  SELECT r."k", f."k" IS NOT NULL AS "found", o."k" IS NOT NULL AS "claimed", o."interactionId",
    coalesce((SELECT to_json(t) FROM ti AS t WHERE t."id" = f."identityId"), f."i") AS "i",
    coalesce((SELECT to_json(t) FROM tc AS t WHERE t."id" = f."customerId"), f."cu") AS "cu",
    coalesce((SELECT to_json(t) FROM tch AS t WHERE t."id" = f."chatId"), f."ch") AS "ch",
    coalesce((SELECT to_json(t) FROM tv AS t WHERE t."id" = f."conversationId"), f."co") AS "co"
  FROM recs AS r LEFT JOIN found AS f ON f."k" = r."k" LEFT JOIN ok AS o ON o."k" = r."k"
  ORDER BY r."k"`;

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
  // The whole commit of one or more turns (a group commit, see GroupCommit) in one statement: one
  // round trip, one transaction. Per turn: flow state, tags, outbox rows (ids drawn first, in order,
  // so each log entry can carry its row's id) and log entries (profile events, then the replies', in
  // that order, as on SQLite) and the language preference; and the outbox sent-marks that were waiting
  // for a commit ($5, see carrySent), an outbox claim that was ($6–$9, see carryClaim; its rows
  // as one JSON array in every row's "claimed") and the turns' audit entries ($10). Returns one row per turn, in order ("k"):
  // its outbox ids in order and its conversation as saved, as JSON (null if it is gone). Every kind
  // of row comes as one JSON array over all turns (an absent or null key is SQL NULL); no two turns
  // of a batch share a conversation or a customer. Parameters: see commitValues.
  commitTurns: `WITH
  turns AS MATERIALIZED (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t("k" int, "conversationId" int, "at" timestamp(3),
      "flow" text, "flowState" jsonb, "failedTurns" int, "language" boolean, "force" boolean, "customerId" int,
      "locale" text, "localeSource" text, "languageStreak" int, "fromLocale" text, "fromSource" text, "fromStreak" int)),
  saved AS (UPDATE "Conversation" AS c SET
      "flow" = CASE WHEN c."status" = 'bot' THEN t."flow" ELSE c."flow" END,
      "flowState" = CASE WHEN c."status" = 'bot' THEN t."flowState" ELSE c."flowState" END,
      "failedTurns" = t."failedTurns", "updatedAt" = t."at" FROM turns AS t WHERE c."id" = t."conversationId" RETURNING c.*),
  spoken AS (UPDATE "Customer" AS c SET "locale" = t."locale", "localeSource" = t."localeSource",
      "languageStreak" = t."languageStreak", "updatedAt" = t."at"
    FROM turns AS t WHERE t."language" AND c."id" = t."customerId" AND (t."force" OR (c."locale" IS NOT DISTINCT FROM t."fromLocale"
      AND c."localeSource" IS NOT DISTINCT FROM t."fromSource" AND c."languageStreak" = t."fromStreak"))),
  audited AS (INSERT INTO "AuditEntry" ("actorType","actorId","action","entityType","entityId","details","createdAt")
    SELECT a."actorType", a."actorId", a."action", a."entityType", a."entityId", a."details", a."createdAt"
    FROM jsonb_to_recordset($10::jsonb) AS a("n" int, "actorType" text, "actorId" text, "action" text, "entityType" text,
      "entityId" text, "details" jsonb, "createdAt" timestamp(3)) ORDER BY a."n"),
  tagged AS (INSERT INTO "CustomerTag" ("customerId","tag","source","createdAt")
    SELECT x."customerId", x."tag", x."source", x."at" FROM jsonb_to_recordset($2::jsonb) AS x("customerId" int, "tag" text, "source" text, "at" timestamp(3))
    ON CONFLICT ("customerId","tag") DO NOTHING),
  planned AS MATERIALIZED (SELECT nextval('"OutboxMessage_id_seq"')::int AS "id", o.*
    FROM jsonb_to_recordset($3::jsonb) AS o("n" int, "k" int, "channel" text, "chatExternalId" text, "customerId" int, "conversationId" int,
      "purpose" text, "priority" int, "sourceKey" text, "text" text, "buttons" jsonb, "meta" jsonb, "notBefore" timestamp(3), "createdAt" timestamp(3))),
  queued AS (INSERT INTO "OutboxMessage" ("id","channel","chatExternalId","customerId","conversationId","purpose","priority","sourceKey","text","buttons","meta","status","notBefore","attempts","createdAt")
    SELECT "id","channel","chatExternalId","customerId","conversationId","purpose","priority","sourceKey","text","buttons","meta",'queued',"notBefore",0,"createdAt"
    FROM planned ORDER BY "n"),
  logged AS (INSERT INTO "Interaction" ("customerId","conversationId","chatId","channel","direction","kind","text","payload","staffId","createdAt")
    SELECT e."customerId", e."conversationId", e."chatId", e."channel", e."direction", e."kind", e."text",
      CASE WHEN p."id" IS NULL THEN e."payload" ELSE coalesce(e."payload", '{}'::jsonb) || jsonb_build_object('outboxId', p."id") END,
      e."staffId", e."createdAt"
    FROM jsonb_to_recordset($4::jsonb) AS e("n" int, "customerId" int, "conversationId" int, "chatId" int, "channel" text, "direction" text,
      "kind" text, "text" text, "payload" jsonb, "staffId" int, "createdAt" timestamp(3), "outbox" int)
    LEFT JOIN planned AS p ON p."n" = e."outbox"
    ORDER BY e."n"),
  marked AS (UPDATE "OutboxMessage" AS o SET "status" = 'sent', "sentAt" = s."at", "externalId" = s."externalId"
    FROM jsonb_to_recordset($5::jsonb) AS s("id" int, "at" timestamp(3), "externalId" text) WHERE o."id" = s."id"),
  claimed AS (UPDATE "OutboxMessage" SET "status" = 'sending', "claimedAt" = $6::timestamp(3), "claimedBy" = $7::text,
      "attempts" = "attempts" + 1
    WHERE $8::text IS NOT NULL AND "id" IN (${claimableIds('$6::timestamp(3)', '$8::text', '$9::int')}) RETURNING *)
  SELECT t."k", ARRAY(SELECT p."id" FROM planned AS p WHERE p."k" = t."k" ORDER BY p."n") AS "outboxIds",
    (SELECT to_json(s) FROM saved AS s WHERE s."id" = t."conversationId") AS "conversation",
    (SELECT json_agg(c) FROM claimed AS c) AS "claimed"
  FROM turns AS t ORDER BY t."k"`,
} as const;

type Name = keyof typeof SQL;

function shapeOf(shapes: Map<string, JsonRowShape>, table: string): JsonRowShape {
  const shape = shapes.get(table);
  if (!shape) throw new Error(`no JSON row shape for ${table}`);
  return shape;
}

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

/** A log entry of SQL.commitTurns: its columns, its place `n` in the batch and the place of its
 * outbox row in the batch (if any). */
function interactionRow(entry: NewInteraction, n: number, payload: JsonObject | null, outbox: number | null) {
  return {
    n,
    customerId: entry.customerId,
    conversationId: entry.conversationId ?? null,
    chatId: entry.chatId ?? null,
    channel: entry.channel,
    direction: entry.direction,
    kind: entry.kind,
    text: entry.text ?? null,
    payload,
    staffId: entry.staffId ?? null,
    createdAt: pgTime(entry.at),
    outbox,
  };
}

/** A turn of SQL.commitTurns: the conversation's columns and the language preference write (only
 * while the customer's stored preference is still what the message was received with, so a change
 * made meanwhile elsewhere wins; always for the customer's explicit switch), or a flag that skips it. */
function turnRow(commit: ReplyCommit, k: number) {
  const language = commit.profile.language;
  return {
    k,
    conversationId: commit.conversationId,
    at: pgTime(commit.at),
    flow: commit.flow.name,
    flowState: commit.flow.state,
    failedTurns: commit.failedTurns,
    language: language !== undefined,
    force: language?.from === null,
    customerId: language?.customerId ?? null,
    locale: language?.to.locale ?? null,
    localeSource: language?.to.localeSource ?? null,
    languageStreak: language?.to.languageStreak ?? 0,
    fromLocale: language?.from?.locale ?? null,
    fromSource: language?.from?.localeSource ?? null,
    fromStreak: language?.from?.languageStreak ?? 0,
  };
}

/** The parameters of SQL.commitTurns: turns, tags, outbox rows, log entries and audit entries of
 * all the commits, one JSON array each, outbox rows and log entries numbered across the batch. */
function commitValues(commits: readonly ReplyCommit[]): { turns: unknown[]; audits: string } {
  const turns: unknown[] = [];
  const tags: unknown[] = [];
  const queued: unknown[] = [];
  const logged: unknown[] = [];
  const audits: unknown[] = [];
  for (const [k, commit] of commits.entries()) {
    for (const entry of commit.profile.audits ?? []) {
      audits.push({
        n: audits.length,
        actorType: entry.actorType,
        actorId: entry.actorId ?? null,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId ?? null,
        details: entry.details ?? null,
        createdAt: pgTime(entry.at),
      });
    }
    turns.push(turnRow(commit, k));
    const at = pgTime(commit.at);
    for (const t of commit.profile.tags) tags.push({ customerId: t.customerId, tag: t.tag, source: t.source, at });
    for (const event of commit.profile.events)
      logged.push(interactionRow(event, logged.length, event.payload ?? null, null));
    const { outbox, interactions } = commit.outbound;
    const firstOutbox = queued.length;
    for (const row of outbox) {
      queued.push({
        n: queued.length,
        k,
        channel: row.channel,
        chatExternalId: row.chatExternalId,
        customerId: row.customerId ?? null,
        conversationId: row.conversationId ?? null,
        purpose: row.purpose,
        priority: outboxPriority(row.purpose),
        sourceKey: row.sourceKey ?? null,
        text: row.text,
        buttons: row.buttons ?? null,
        meta: row.meta ?? null,
        notBefore: pgTime(row.notBefore),
        createdAt: pgTime(row.createdAt),
      });
    }
    for (const [index, entry] of interactions.entries()) {
      if (index < outbox.length)
        logged.push(interactionRow(entry, logged.length, entry.payload ?? {}, firstOutbox + index));
    }
  }
  return {
    turns: [JSON.stringify(turns), JSON.stringify(tags), JSON.stringify(queued), JSON.stringify(logged)],
    audits: JSON.stringify(audits),
  };
}

/** What a commit writes that another commit in flight may also write: its conversation, and the
 * customers whose language or tags it sets (see GroupCommitSteps.keys). */
function commitKeys(commit: ReplyCommit): string[] {
  const keys = [`conversation:${commit.conversationId}`];
  const language = commit.profile.language;
  if (language) keys.push(`customer:${language.customerId}`);
  for (const tag of commit.profile.tags) keys.push(`customer:${tag.customerId}`);
  return keys;
}

/** How many commits one group-commit statement takes at most. */
const MAX_COMMIT_BATCH = 16;

/** How many messages one batched receive takes at most. */
const MAX_RECEIVE_BATCH = 16;

/** How many receive statements may be in flight at once: with one, every receive waited for the
 * batch before it, and under load messages were received more slowly than one by one. */
const RECEIVES_IN_FLIGHT = 2;

/** What a receive writes that another receive in flight may also write: the sender's identity (and
 * so its customer and conversation) and the chat (title, members); see GroupCommitSteps.keys. Two
 * messages of one sender or one chat never share a batch, and keep their order. */
function receiveKeys(record: InboundRecord): string[] {
  return [`sender:${record.channel}:${record.sender.externalId}`, `chat:${record.channel}:${record.chat.externalId}`];
}

/** A message of RECEIVE_KNOWN_BATCH: its place `k` in the batch and RECEIVE_KNOWN's parameters. */
function knownRow(record: InboundRecord, k: number) {
  return {
    k,
    channel: record.channel,
    messageId: record.messageId,
    at: pgTime(record.at),
    sender: record.sender.externalId,
    chat: record.chat.externalId,
    name: record.sender.name ?? null,
    touchBefore: pgTime(new Date(record.at.getTime() - TOUCH_AFTER_MS)),
    title: record.chat.title || null,
    kind: record.interaction.kind,
    text: record.interaction.text,
    payload: record.interaction.payload,
    addressed: record.addressed,
  };
}

/** A receive of a known sender: the message as received, null for a replay, or undefined when a row
 * is missing (or the batch left it alone) and the general transaction must run instead. */
type KnownReceive = ReceivedMessage | null | undefined;

/** A row of RECEIVE_KNOWN or RECEIVE_KNOWN_BATCH as a KnownReceive. */
function received(row: Row, shapes: Map<string, JsonRowShape>): KnownReceive {
  if (row.found !== true) return undefined;
  if (row.claimed !== true) return null;
  const part = (alias: keyof typeof RECEIVED): Row => {
    const read = rowFromJson(row[alias], shapeOf(shapes, RECEIVED[alias]));
    if (!read) throw new Error(`expected a ${RECEIVED[alias]} row from receiveKnown`);
    return read;
  };
  return {
    identity: readIdentity(part('i')),
    customer: readCustomer(part('cu')),
    chat: readChat(part('ch')),
    conversation: readConversation(part('co')),
    interactionId: int(row.interactionId),
  };
}

export class PgPipelineStore implements PipelineStore {
  /** How the rows the one-statement receive and commit return as JSON read back (once per pool). */
  private shapes: Promise<Map<string, JsonRowShape>> | undefined;
  /** Turns committed while an earlier commit is in flight go together in one statement. */
  private readonly commits = new GroupCommit<ReplyCommit, CommittedTurn>(
    {
      batch: (commits) => this.commitAll(commits),
      single: (commit) => this.commitOne(commit),
      keys: commitKeys,
      idle: () => this.dropCarried(),
    },
    MAX_COMMIT_BATCH,
  );
  /** Outbox sent-marks waiting for the next commit statement (see carrySent). */
  private carried: Array<{ sent: SentMark[]; settle: (written: boolean) => void }> = [];
  /** An outbox claim waiting for the next commit statement (one at a time; see carryClaim). */
  private carriedClaim: CarriedClaim | undefined;

  /** Known senders' messages received while an earlier receive is in flight go together in one
   * statement; the general transaction (a new sender, a missing row) runs outside, on its own. */
  private readonly receives = new GroupCommit<InboundRecord, KnownReceive>(
    {
      batch: (records) => this.receiveKnownBatch(records),
      single: (record) => retrying(() => this.receiveKnown(record)),
      keys: receiveKeys,
    },
    MAX_RECEIVE_BATCH,
    RECEIVES_IN_FLIGHT,
  );

  constructor(
    private readonly pool: pg.Pool,
    private readonly consentDefault: ConsentDefault = false,
  ) {}

  async receive(record: InboundRecord): Promise<ReceivedMessage | null> {
    const known = await this.receives.run(record);
    if (known !== undefined) return known;
    return inTransaction(this.pool, (db) => this.receiveIn(db, record));
  }

  async privateChat(channel: ChannelName, externalId: string): Promise<Chat | null> {
    const row = await one(this.pool, 'chat', [channel, externalId]);
    return row && readChat(row);
  }

  commit(commit: ReplyCommit): Promise<CommittedTurn> {
    return this.commits.run(commit);
  }

  /**
   * Outbox sent-marks (PgOutboxQueue.markSent) ride the next commit statement while turns are being
   * committed: resolves once that statement committed them, rejects when it failed or none came (the
   * caller then writes them itself). Undefined when no commit is in flight.
   */
  carrySent(sent: SentMark[]): Promise<void> | undefined {
    if (!this.commits.busy) return undefined;
    return new Promise<void>((resolve, reject) => {
      this.carried.push({
        sent,
        settle: (written) => (written ? resolve() : reject(new Error('sent-marks not carried'))),
      });
    });
  }

  /**
   * An outbox claim (PgOutboxQueue.claim) rides the next commit statement while turns are being
   * committed: resolves to the rows it claimed once that statement committed, or to undefined when
   * it failed or none came (the caller then claims itself). Undefined when no commit is in flight or
   * another claim already waits.
   */
  carryClaim(
    channel: ChannelName,
    limit: number,
    claimedBy: string,
    now: Date,
  ): Promise<OutboxMessage[] | undefined> | undefined {
    if (!this.commits.busy || this.carriedClaim) return undefined;
    return new Promise((settle) => {
      this.carriedClaim = { channel, limit, claimedBy, now, settle };
    });
  }

  /** No commit statement is coming: the waiting sent-marks and claim go back to their writer. */
  private dropCarried(): void {
    for (const waiting of this.carried.splice(0)) waiting.settle(false);
    this.carriedClaim?.settle(undefined);
    this.carriedClaim = undefined;
  }

  /** Commits several turns in one statement (one transaction: all or none), each its own result. */
  private async commitAll(commits: readonly ReplyCommit[]): Promise<CommittedTurn[]> {
    const shapes = await this.rowShapes();
    const carried = this.carried.splice(0);
    const marks = carried.flatMap((waiting) =>
      waiting.sent.map((mark) => ({ id: mark.id, at: pgTime(mark.at), externalId: mark.externalId ?? null })),
    );
    const claim = this.carriedClaim;
    this.carriedClaim = undefined;
    const { turns, audits } = commitValues(commits);
    const values = [
      ...turns,
      JSON.stringify(marks),
      claim ? pgTime(claim.now) : null,
      claim?.claimedBy ?? null,
      claim?.channel ?? null,
      claim?.limit ?? 0,
      audits,
    ];
    // Written with the turns, or (the statement failed) not at all: then their writer writes them.
    const rows = await rowsOf(this.pool, 'pipeline.commitTurns', SQL.commitTurns, values).then(
      (result) => {
        for (const waiting of carried) waiting.settle(true);
        claim?.settle(rowsFromJson(result[0]?.claimed, shapeOf(shapes, 'OutboxMessage')).map(readOutboxMessage));
        return result;
      },
      (error: unknown) => {
        for (const waiting of carried) waiting.settle(false);
        claim?.settle(undefined);
        throw error;
      },
    );
    if (rows.length !== commits.length)
      throw new Error(`commitTurns returned ${rows.length} rows for ${commits.length}`);
    return commits.map((commit, k) => {
      const row = rows[k];
      const ids = Array.isArray(row?.outboxIds) ? row.outboxIds : [];
      const saved = rowFromJson(row?.conversation, shapeOf(shapes, 'Conversation'));
      return {
        outbox: commit.outbound.outbox.map((entry, index) => ({ id: int(ids[index]), channel: entry.channel })),
        conversation: saved && readConversation(saved),
      };
    });
  }

  private async commitOne(commit: ReplyCommit): Promise<CommittedTurn> {
    const [committed] = await retrying(() => this.commitAll([commit]));
    if (!committed) throw new Error('commitTurns returned no row');
    return committed;
  }

  async conversation(id: number): Promise<Conversation | null> {
    const row = await one(this.pool, 'conversation', [id]);
    return row && readConversation(row);
  }

  /**
   * The one-statement receive of a known sender (see RECEIVE_KNOWN): the message as received, null
   * for a replay, or undefined when a row is missing and the general transaction must run instead.
   */
  private async receiveKnown(record: InboundRecord): Promise<KnownReceive> {
    const shapes = await this.rowShapes();
    const r = knownRow(record, 0);
    const row = await firstOf(this.pool, 'pipeline.receiveKnown', RECEIVE_KNOWN, [
      r.channel,
      r.messageId,
      r.at,
      r.sender,
      r.chat,
      r.name,
      r.touchBefore,
      r.title,
      r.kind,
      r.text,
      JSON.stringify(r.payload),
      r.addressed,
    ]);
    return row ? received(row, shapes) : undefined;
  }

  /** Several known senders' messages in one statement (RECEIVE_KNOWN_BATCH), each its own result. */
  private async receiveKnownBatch(records: readonly InboundRecord[]): Promise<KnownReceive[]> {
    const shapes = await this.rowShapes();
    const values = [JSON.stringify(records.map((record, k) => knownRow(record, k)))];
    const rows = await rowsOf(this.pool, 'pipeline.receiveKnownBatch', RECEIVE_KNOWN_BATCH, values);
    if (rows.length !== records.length)
      throw new Error(`receiveKnownBatch returned ${rows.length} rows for ${records.length}`);
    return rows.map((row) => received(row, shapes));
  }

  /** The JSON shapes of the tables receive and commit return (read once per pool; again after a failure). */
  private rowShapes(): Promise<Map<string, JsonRowShape>> {
    this.shapes ??= jsonRowShapes(this.pool, JSON_TABLES).catch((error: unknown) => {
      this.shapes = undefined;
      throw error;
    });
    return this.shapes;
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
      ...inboundLogValues(record, customer.id, int(row.id), chat.id, at),
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
