// What a webchat visitor may read and do. A visitorId is only a name: the visitor's secret (bound
// by their first message, kept hashed) is the credential for every webchat route, and the thread
// they read back is built from the log (their messages) and the outbox (what was delivered to them).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Interaction, OutboxMessage } from '../db/types.ts';
import { UnauthorizedError } from '../domain/errors.ts';
import { type Attachment, Button } from '../domain/messages.ts';
import { OutboxMeta, type OutboxPurpose } from '../domain/outbox.ts';
import type { Locale } from '../kernel/i18n.ts';
import { asMessageAttachment, attachmentIdsOf } from './attachments.ts';
import type { ServiceDeps } from './context.ts';
import type { CustomerService } from './customers.ts';

export interface ConversationSummary {
  id: number;
  status: string;
  flow: string | null;
}

/** Who a thread message is from, as the widget shows it. */
export type ThreadSender = 'customer' | 'bot' | 'staff' | 'system';

export interface ThreadMessage {
  id: string;
  from: ThreadSender;
  text: string;
  buttons?: Button[];
  /**
   * Photos the visitor sent with the message, or the photo staff sent them (both read back with
   * GET /api/webchat/:visitorId/attachments/:id).
   */
  attachments?: Attachment[];
  staffName?: string;
  at: string;
}

export interface Thread {
  messages: ThreadMessage[];
  cursor: string;
}

/** How a secret is checked: a first message binds an unbound visitor, reading never does. */
export type SecretUse = 'bind' | 'read';

/** The widget's pre-chat form and consent box, sent with a message. */
export interface VisitorChoices {
  profile?: { name?: string | undefined; phone?: string | undefined } | undefined;
  marketingConsent?: boolean | undefined;
}

/** What a stream may do now: show the thread, show nothing yet (unbound visitor), or stop (bound to another secret). */
export type StreamAccess = 'read' | 'wait' | 'end';

/** A stream ticket lives this long and works once. */
export const STREAM_TICKET_SECONDS = 60;

/** The thread's cursor: the last customer interaction and the last outbox row the visitor has seen. */
const CURSOR = /^(\d{1,15})\.(\d{1,15})$/;
export const ThreadCursor = z
  .string()
  .regex(CURSOR, 'after is a cursor returned by this API')
  .transform((value) => {
    const [, inbound, outbound] = CURSOR.exec(value) ?? [];
    return { inbound: Number(inbound), outbound: Number(outbound) };
  });
export type ThreadCursor = z.output<typeof ThreadCursor>;

const START: ThreadCursor = { inbound: 0, outbound: 0 };

const fromPurpose: Record<OutboxPurpose, ThreadSender> = {
  reply: 'bot',
  notification: 'bot',
  campaign: 'bot',
  survey: 'bot',
  staff: 'staff',
  system: 'system',
};

const ButtonLabel = z.object({ label: z.string().min(1) });
const MessageRef = z.object({ messageId: z.string().min(1) });

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export class WebchatService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly customers: CustomerService,
  ) {}

  /**
   * Checks the visitor's secret before anything is read or written. An unbound visitor is bound by
   * `bind` (the first message); `read` on an unbound visitor passes and returns false: there is
   * nothing the caller may see yet. Throws UnauthorizedError for a missing or different secret.
   */
  async authorize(visitorId: string, secret: string | undefined, use: SecretUse): Promise<boolean> {
    if (!secret) throw new UnauthorizedError('X-Visitor-Secret is required');
    const { repos } = this.deps.store;
    const offered = hashSecret(secret);
    const bound = await repos.webchat.secretHash(visitorId);
    if (bound !== undefined) {
      if (!sameHash(bound, offered)) throw new UnauthorizedError('X-Visitor-Secret does not match this visitor');
      return true;
    }
    if (use === 'read') return false;
    if (await repos.webchat.bind(visitorId, offered, this.deps.clock.now())) return true;
    // Another request bound it first: this one passes only with the same secret.
    const raced = await repos.webchat.secretHash(visitorId);
    if (raced === undefined || !sameHash(raced, offered))
      throw new UnauthorizedError('X-Visitor-Secret does not match this visitor');
    return true;
  }

  /**
   * Issues a single-use stream ticket (only a hash of it is kept). Like a read, it never binds: for an
   * unbound visitor the stream stays empty until the visitor binds this very secret.
   */
  async streamTicket(visitorId: string, secret: string | undefined): Promise<string> {
    await this.authorize(visitorId, secret, 'read');
    const ticket = randomBytes(24).toString('base64url');
    const now = this.deps.clock.now();
    await this.deps.store.repos.webchat.addTicket(
      {
        ticketHash: hashSecret(ticket),
        visitorId,
        secretHash: hashSecret(secret ?? ''),
        expiresAt: new Date(now.getTime() + STREAM_TICKET_SECONDS * 1000),
      },
      now,
    );
    return ticket;
  }

  /**
   * Uses up a stream ticket; throws UnauthorizedError when it is unknown, used, expired or someone
   * else's. Returns the check the stream makes before each read: may this stream see the thread now?
   */
  async useStreamTicket(visitorId: string, ticket: string): Promise<() => Promise<StreamAccess>> {
    const { repos } = this.deps.store;
    const secretHash = await repos.webchat.useTicket(hashSecret(ticket), visitorId, this.deps.clock.now());
    if (!secretHash) throw new UnauthorizedError('the stream ticket is unknown, used or expired');
    return async () => {
      const bound = await repos.webchat.secretHash(visitorId);
      if (bound === undefined) return 'wait';
      return sameHash(bound, secretHash) ? 'read' : 'end';
    };
  }

  /**
   * What the visitor chose in the widget, applied once their message is in: the pre-chat form fills
   * a name or phone the profile does not have yet (it never overwrites), and a ticked consent box
   * gives marketing consent. An unticked box changes nothing (withdrawing is 退订).
   */
  async applyVisitorChoices(visitorId: string, choices: VisitorChoices): Promise<void> {
    const { profile, marketingConsent } = choices;
    if (!profile?.name && !profile?.phone && marketingConsent !== true) return;
    const identity = await this.deps.store.repos.customers.findIdentity('webchat', visitorId);
    if (!identity) return;
    const { customer } = identity;
    const actor = { type: 'customer' as const, customerId: customer.id };
    const fill = {
      ...(profile?.name && !customer.name ? { name: profile.name } : {}),
      ...(profile?.phone && !customer.phone ? { phone: profile.phone } : {}),
    };
    if (Object.keys(fill).length) await this.customers.update(customer.id, fill, actor);
    if (marketingConsent === true && !customer.marketingOptIn)
      await this.customers.setMarketingConsent(customer.id, true, actor, 'webchat');
  }

  /**
   * The widget's language (its Accept-Language) as the first guess of a visitor's language: a
   * visitor with no language on record yet is answered in it, so the greeting an English browser
   * opens with is English. Stored as inferred use, so the customer's own writing still moves it;
   * nothing is written when it is the shop's language or a language is already on record.
   */
  async hintLanguage(visitorId: string, locale: Locale | undefined): Promise<void> {
    if (!locale || locale === this.deps.config.shop.locale) return;
    const { repos } = this.deps.store;
    const known = await repos.customers.findIdentity('webchat', visitorId);
    if (known && (await repos.customers.survivor(known.customer)).locale !== null) return;
    const { customer } = await repos.customers.identify('webchat', visitorId, undefined, this.deps.clock.now());
    if (customer.locale === null)
      await repos.customers.update(customer.id, { locale, localeSource: 'use', languageStreak: 0 });
  }

  /** The replies produced for one visitor message (also for a replay of it). */
  async repliesTo(visitorId: string, messageId: string): Promise<OutboxMessage[]> {
    const rows = await this.deps.store.repos.outbox.bySource(`webchat:${messageId}`);
    return rows.filter((row) => row.chatExternalId === visitorId);
  }

  /** The conversation an already processed visitor message belongs to (a replay reports it too). */
  async conversationOf(messageId: string): Promise<ConversationSummary | undefined> {
    const { repos } = this.deps.store;
    const processed = await repos.processed.get('webchat', messageId);
    const row = processed?.conversationId ? await repos.conversations.get(processed.conversationId) : null;
    return row ? { id: row.id, status: row.status, flow: row.flow } : undefined;
  }

  /**
   * The visitor's thread after the cursor, oldest first: what they wrote and what was delivered to
   * them (bot replies with buttons, staff replies with the agent's name, notifications, campaigns,
   * system notices). The caller has authorized the visitor.
   */
  async thread(visitorId: string, after: ThreadCursor = START, take = 100): Promise<Thread> {
    const { repos } = this.deps.store;
    const chat = await repos.chats.find('webchat', visitorId);
    const inbound = chat ? await repos.webchat.inbound('webchat', chat.id, after.inbound, take) : [];
    const outbound = await repos.outbox.forChat('webchat', visitorId, after.outbound, take);
    const names = await this.staffNames(outbound);
    const files = await this.attachmentsOf(visitorId, inbound);
    // A full page from one source may stop before the other's last entry: stop there too, so the
    // cursor never skips what the next page would have brought.
    let horizon = Number.POSITIVE_INFINITY;
    const lastIn = inbound.at(-1);
    const lastOut = outbound.at(-1);
    if (inbound.length === take && lastIn) horizon = Math.min(horizon, lastIn.createdAt.getTime());
    if (outbound.length === take && lastOut) horizon = Math.min(horizon, lastOut.createdAt.getTime());
    // Order by time; a reply sorts right after the message it answers (its outbox row names it), so
    // equal timestamps never put an answer before its question. Otherwise the customer's comes first.
    const asked = new Map<string, Interaction>();
    for (const row of inbound) {
      const id = MessageRef.safeParse(row.payload);
      if (id.success) asked.set(`webchat:${id.data.messageId}`, row);
    }
    const merged = [
      ...inbound.map((row) => ({
        at: row.createdAt.getTime(),
        key: [row.createdAt.getTime(), row.id, 0, 0],
        inbound: row.id,
        outbound: 0,
        message: this.customerMessage(row, files),
      })),
      ...outbound.map((row) => {
        const question = row.sourceKey ? asked.get(row.sourceKey) : undefined;
        const at = row.createdAt.getTime();
        return {
          at,
          key: question
            ? [question.createdAt.getTime(), question.id, 1, row.id]
            : [at, Number.MAX_SAFE_INTEGER, 1, row.id],
          inbound: 0,
          outbound: row.id,
          message: this.deliveredMessage(row, names),
        };
      }),
    ]
      .sort((a, b) => compareKeys(a.key, b.key))
      .filter((entry) => entry.at <= horizon);
    const cursor = { ...after };
    for (const entry of merged) {
      cursor.inbound = Math.max(cursor.inbound, entry.inbound);
      cursor.outbound = Math.max(cursor.outbound, entry.outbound);
    }
    return {
      messages: merged.flatMap((entry) => (entry.message ? [entry.message] : [])),
      cursor: `${cursor.inbound}.${cursor.outbound}`,
    };
  }

  /** The cursor of an empty thread (an unbound visitor's, or one with nothing in it yet). */
  emptyThread(after: ThreadCursor = START): Thread {
    return { messages: [], cursor: `${after.inbound}.${after.outbound}` };
  }

  /** A customer's message or pressed button; a press without a label (the widget opening the chat) shows nothing. */
  private customerMessage(row: Interaction, files: Map<string, Attachment>): ThreadMessage | undefined {
    let text = row.text ?? '';
    if (row.kind === 'button') {
      const label = ButtonLabel.safeParse(row.payload);
      if (!label.success || !label.data.label.trim()) return undefined;
      text = label.data.label;
    }
    const attachments = attachmentIdsOf(row.payload).flatMap((id) => files.get(id) ?? []);
    // A photo sent on its own is a message too (its text is empty).
    if (!text.trim() && attachments.length === 0) return undefined;
    return {
      id: `c${row.id}`,
      from: 'customer',
      text,
      ...(attachments.length ? { attachments } : {}),
      at: row.createdAt.toISOString(),
    };
  }

  /** The photos the visitor's messages refer to, by id (only this visitor's own uploads). */
  private async attachmentsOf(visitorId: string, rows: Interaction[]): Promise<Map<string, Attachment>> {
    const ids = rows.flatMap((row) => attachmentIdsOf(row.payload));
    if (ids.length === 0) return new Map();
    const found = await this.deps.store.repos.attachments.ofOwner('webchat', visitorId, [...new Set(ids)]);
    return new Map(found.map((row) => [row.id, asMessageAttachment(row)]));
  }

  private deliveredMessage(row: OutboxMessage, names: Map<number, string>): ThreadMessage {
    const buttons = Button.array().safeParse(row.buttons);
    const meta = OutboxMeta.safeParse(row.meta);
    const from = fromPurpose[row.purpose];
    const staffName = from === 'staff' && meta.success && meta.data.staffId ? names.get(meta.data.staffId) : undefined;
    return {
      id: `o${row.id}`,
      from,
      text: row.text,
      ...(buttons.success && buttons.data.length ? { buttons: buttons.data } : {}),
      ...(meta.success && meta.data.image ? { attachments: [meta.data.image] } : {}),
      ...(staffName ? { staffName } : {}),
      at: row.createdAt.toISOString(),
    };
  }

  private async staffNames(rows: OutboxMessage[]): Promise<Map<number, string>> {
    const ids = new Set<number>();
    for (const row of rows) {
      const meta = OutboxMeta.safeParse(row.meta);
      if (row.purpose === 'staff' && meta.success && meta.data.staffId) ids.add(meta.data.staffId);
    }
    const names = new Map<number, string>();
    for (const id of ids) {
      const staff = await this.deps.store.repos.staff.get(id);
      if (staff) names.set(id, staff.name);
    }
    return names;
  }
}
