// The 微信客服 (WeChat Customer Service) channel: the protocol modules of this folder composed on the
// adapter port. A kf_msg_or_event callback starts a pull (sync_msg from the cursor kept in the
// database, page after page, one pull at a time per 客服账号); each customer message becomes an
// `Inbound` (deduped on WeCom's msgid by the pipeline), the customer's nickname and unionid are
// fetched once (customer/batchget); enter_session greets through the pipeline and the greeting goes
// out with send_msg_on_event and the event's welcome_code. Replies go out with send_msg within the
// platform's rules (48 hours after the customer's last message, five messages per customer message),
// checked before sending so a send WeCom would refuse is never tried.
import { z } from 'zod';
import type { JsonValue } from '../../src/domain/json.ts';
import type { Attachment, Inbound } from '../../src/domain/messages.ts';
import type {
  Channel,
  ConversationChange,
  InboundHandler,
  OutboundMessage,
  PacingPolicy,
  SendResult,
} from '../contract.ts';
import { photoFileName } from '../contract.ts';
import type { ChannelDeps } from '../deps.ts';
import { type CallbackEvent, parseCallbackEvent } from './callback.ts';
import { type KfChat, kfChat, kfChatId, parseKfChatId } from './chat-id.ts';
import { WecomClient } from './client.ts';
import { WecomCrypto } from './crypto.ts';
import { CONTACT_CHANGE_EVENT, type WecomCallbackEndpoint } from './endpoint.ts';
import { refusalOf, toSendError, WecomSendError } from './errors.ts';
import { type KfItem, mapKfMessage } from './inbound.ts';
import { KfApi, type KfContent } from './kf-api.ts';
import { MediaRejected } from './media.ts';
import { addressed, imageContent, outboxMsgid, renderReply } from './outbound.ts';
import { checkSend, customerWrote, noAllowance, type ReplyAllowance, recordSent, welcomeCodeUsable } from './rules.ts';
import { pullMessages } from './sync.ts';

/** The 微信客服 settings (WECOM_* in src/config.ts) the channel needs. */
export interface WecomKfConfig {
  corpId: string;
  apiRoot: string;
  kf: {
    secret: string;
    callback: { token: string; encodingAesKey: string };
    /** The 客服账号 served; empty = every account whose callbacks arrive. */
    openKfIds: string[];
  };
}

export interface WecomChannelOptions {
  config: WecomKfConfig;
  endpoint: WecomCallbackEndpoint;
  deps: ChannelDeps;
  pacing?: PacingPolicy;
}

/** WeCom limits send_msg per minute and account rather than per chat; stay well below it. */
export const wecomPacing: PacingPolicy = { globalPerSecond: 20 };

const KEY = {
  allowance: (chatId: string) => `wecom:allowance:${chatId}`,
  welcome: (chatId: string) => `wecom:welcome:${chatId}`,
  customer: (externalUserId: string) => `wecom:customer:${externalUserId}`,
  account: (externalUserId: string) => `wecom:account:${externalUserId}`,
  /** The 接待人员 holding the customer's session in the WeCom app, if one does. */
  servicer: (externalUserId: string) => `wecom:servicer:${externalUserId}`,
  /** A staff photo's temporary media id (see mediaIdOf). */
  media: (attachmentId: string) => `wecom:media:${attachmentId}`,
};

const MediaUpload = z.object({ mediaId: z.string().min(1), at: z.number() });
const MEDIA_REUSE_MS = 24 * 60 * 60 * 1000;

interface KnownCustomer {
  nickname?: string;
  unionid?: string;
}

export class WecomChannel implements Channel {
  readonly name = 'wecom' as const;
  readonly pacing: PacingPolicy;
  readonly sendsImages = true;
  readonly api: KfApi;
  private handler: InboundHandler | null = null;
  private unsubscribe: (() => void) | undefined;
  /** Pulls running per 客服账号, and whether another callback asked for one meanwhile. */
  private readonly pulls = new Map<string, { running: Promise<void>; again: string | undefined | null }>();
  private readonly accounts: ReadonlySet<string>;

  constructor(private readonly options: WecomChannelOptions) {
    const { config, deps } = options;
    this.pacing = options.pacing ?? wecomPacing;
    this.accounts = new Set(config.kf.openKfIds);
    this.api = new KfApi(
      new WecomClient({ apiRoot: config.apiRoot, corpId: config.corpId, secret: config.kf.secret, clock: deps.clock }),
    );
    options.endpoint.add({
      crypto: new WecomCrypto({ ...config.kf.callback, receiveId: config.corpId }),
      // 客户联系 events on the same path (and maybe the same keys) belong to the contact receiver.
      accepts: (fields) => fields.Event !== CONTACT_CHANGE_EVENT,
      onEvent: async (fields) => this.onCallback(parseCallbackEvent(fields)),
    });
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
    this.unsubscribe = this.options.deps.conversations.onChange('wecom', (change) => this.onConversation(change));
    // Messages that arrived while no instance was listening wait at WeCom behind the stored cursor:
    // catch up on the configured accounts now instead of at their next callback.
    for (const account of this.accounts) void this.pull(account);
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.idle();
    this.handler = null;
  }

  /** Resolves when every pull started so far has finished. */
  async idle(): Promise<void> {
    while (this.pulls.size > 0) await Promise.allSettled([...this.pulls.values()].map((p) => p.running));
  }

  /** Pulls the messages of `openKfId` now (a callback does this; so may a start-up catch-up). */
  pull(openKfId: string, syncToken?: string): Promise<void> {
    const current = this.pulls.get(openKfId);
    if (current) {
      // One pull at a time per account: the running one goes on with a second pull when it ends.
      current.again = syncToken ?? current.again ?? undefined;
      return current.running;
    }
    const entry: { running: Promise<void>; again: string | undefined | null } = {
      running: Promise.resolve(),
      again: null,
    };
    entry.running = (async () => {
      let token: string | undefined = syncToken;
      try {
        for (;;) {
          await this.pullOnce(openKfId, token);
          if (entry.again === null) break;
          token = entry.again;
          entry.again = null;
        }
      } catch (error) {
        this.options.deps.log.error({ err: error, openKfId }, 'wecom sync_msg pull failed');
      } finally {
        this.pulls.delete(openKfId);
      }
    })();
    this.pulls.set(openKfId, entry);
    return entry.running;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const { deps } = this.options;
    const chat = await this.chatOf(message.chatId);
    if (!chat) throw new WecomSendError(`no 客服账号 known for ${message.chatId}`, 'permanent', 'invalid_recipient');
    // A photo goes first (send_msg has no caption), its text as the next message(s).
    const texts =
      message.image && !message.text && !message.buttons?.length
        ? []
        : await renderReply(
            { text: message.text, ...(message.buttons ? { buttons: message.buttons } : {}) },
            deps.buttonPayloads,
          );
    let holder: string | undefined;
    try {
      holder = await this.servicerStill(chat);
    } catch (error) {
      throw toSendError(error);
    }
    if (holder) {
      // WeCom refuses API messages (95018) while a 接待人员 holds the session: they answer in the app.
      throw new WecomSendError(
        `企业微信接待人员 ${holder} 正在接待，请在企业微信中回复 / a WeCom 接待人员 (${holder}) holds this chat: reply in the WeCom app`,
        'permanent',
        'session_state',
      );
    }
    const now = deps.clock.now();
    const chatId = kfChatId(chat);
    const allowance = await this.allowance(chatId);
    const verdict = checkSend(allowance, now, texts.length + (message.image ? 1 : 0));
    // Uploaded only once the send is allowed; a failed upload sends nothing, so the row may be retried.
    const contents = message.image ? [imageContent(await this.mediaIdOf(message.image)), ...texts] : texts;
    if (!verdict.allowed) {
      // Before the customer ever wrote, the enter_session welcome_code allows exactly one message.
      const welcome = verdict.reason === 'window_closed' ? await this.takeWelcomeCode(chatId) : undefined;
      if (welcome && welcomeCodeUsable(welcome.receivedAt, now)) {
        return this.sendWelcome(welcome.code, contents, message.outboxId);
      }
      throw new WecomSendError(`not sent: ${verdict.reason}`, 'permanent', verdict.reason);
    }
    let sent = allowance;
    let last = '';
    for (const [part, content] of contents.entries()) {
      try {
        last = (await this.api.sendMsg(addressed(chat, content, outboxMsgid(message.outboxId, part)))).msgid;
      } catch (error) {
        throw toSendError(error, { partial: part > 0 });
      }
      // Counted as WeCom counts it, part by part (a later part failing leaves the earlier ones counted).
      sent = recordSent(sent);
      await deps.values.set(KEY.allowance(chatId), allowanceJson(sent));
    }
    return last ? { externalId: last } : {};
  }

  /**
   * The media_id of a photo (media/upload, multipart). WeCom keeps temporary media three days; the id
   * is reused for a day, so a retried row does not upload again.
   */
  private async mediaIdOf(image: Attachment): Promise<string> {
    const { deps } = this.options;
    const key = KEY.media(image.id);
    const kept = MediaUpload.safeParse(await deps.values.get(key));
    const now = deps.clock.now().getTime();
    if (kept.success && now - kept.data.at < MEDIA_REUSE_MS) return kept.data.mediaId;
    const { bytes } = await deps.files.read(image.id);
    try {
      const { mediaId } = await this.api.uploadMedia('image', {
        name: photoFileName(image),
        mime: image.mime,
        data: bytes,
      });
      await deps.values.set(key, { mediaId, at: now });
      return mediaId;
    } catch (error) {
      if (error instanceof MediaRejected)
        throw new WecomSendError(`WeCom refuses this photo: ${error.message}`, 'permanent', 'rejected');
      throw toSendError(error);
    }
  }

  private async sendWelcome(code: string, contents: KfContent[], outboxId: number): Promise<SendResult> {
    // One message per code: the last content carries the menu (the text heads it) when there is one.
    const content = contents[contents.length - 1];
    if (!content) return {};
    if (contents.length > 1) {
      this.options.deps.log.warn({ outboxId, parts: contents.length }, 'wecom welcome longer than one message: cut');
    }
    try {
      const { msgid } = await this.api.sendMsgOnEvent(code, content, outboxMsgid(outboxId, 0));
      return msgid ? { externalId: msgid } : {};
    } catch (error) {
      throw toSendError(error);
    }
  }

  private async onCallback(event: CallbackEvent): Promise<void> {
    const { log } = this.options.deps;
    if (event.kind !== 'kf_msg_or_event') {
      log.debug({ msgType: event.msgType, event: event.event }, 'wecom callback not for 微信客服: ignored');
      return;
    }
    if (this.accounts.size > 0 && !this.accounts.has(event.openKfId)) {
      log.warn({ openKfId: event.openKfId }, 'wecom callback for a 客服账号 not in WECOM_OPEN_KFID: ignored');
      return;
    }
    // Answered at once (WeCom waits 5 seconds, then repeats the callback); the pull runs behind it.
    void this.pull(event.openKfId, event.syncToken);
  }

  private async pullOnce(openKfId: string, token: string | undefined): Promise<void> {
    const { cursors } = this.options.deps;
    await pullMessages(this.api, {
      openKfId,
      ...(token ? { token } : {}),
      cursors: {
        load: (account) => cursors.get('wecom', account),
        save: (account, cursor) => cursors.set('wecom', account, cursor),
      },
      handle: async (messages) => {
        for (const raw of messages) await this.onItem(await mapKfMessage(raw, this.options.deps.buttonPayloads));
      },
    });
  }

  private async onItem(item: KfItem): Promise<void> {
    const { log } = this.options.deps;
    switch (item.kind) {
      case 'customer_message': {
        await this.rememberAccount(item.chat);
        const chatId = kfChatId(item.chat);
        await this.options.deps.values.set(
          KEY.allowance(chatId),
          allowanceJson(customerWrote(await this.allowance(chatId), item.inbound.at)),
        );
        const photo = item.media?.type === 'image' ? await this.savePhoto(item.chat, item.media.mediaId) : [];
        await this.dispatch(item.chat, {
          ...item.inbound,
          ...(photo.length > 0 ? { attachments: photo } : {}),
        });
        return;
      }
      case 'enter_session': {
        await this.rememberAccount(item.chat);
        if (item.welcomeCode) {
          await this.options.deps.values.set(KEY.welcome(kfChatId(item.chat)), {
            code: item.welcomeCode,
            receivedAt: this.options.deps.clock.now().toISOString(),
          });
        }
        const { scene, sceneParam } = item.source;
        const source = [scene, sceneParam].filter(Boolean).join(':').slice(0, 200);
        await this.dispatch(item.chat, {
          ...item.inbound,
          attachment: { kind: 'enter_session', ...(source ? { ref: source } : {}) },
        });
        if (source) await this.options.deps.identities.recordSource('wecom', item.chat.externalUserId, source);
        return;
      }
      case 'session_change':
        await this.onSessionChange(item);
        return;
      case 'servicer_message':
        // A 接待人员 answered from the WeCom app: the chat is theirs now, and their message is part of
        // the conversation (logged as a staff message, never sent again).
        await this.takenInApp(item.chat, item.servicerUserId);
        await this.options.deps.conversations.staffMessageOnPlatform('wecom', item.chat.externalUserId, {
          messageId: item.msgid,
          by: item.servicerUserId ?? 'app',
          text: item.text,
          at: item.at,
        });
        return;
      case 'send_failed':
        log.warn({ msgid: item.failedMsgid, failType: item.failType }, 'wecom reports a message not delivered');
        return;
      case 'ignored':
        log.debug({ msgid: item.msgid, reason: item.reason }, 'wecom sync_msg item ignored');
        return;
      default:
        log.debug({ kind: item.kind }, 'wecom sync_msg item not handled');
    }
  }

  /**
   * Hands the inbound to the pipeline with the customer's nickname, fetched once per customer. The
   * chat is the customer (their external_userid, as for a private chat on any channel), so replies,
   * notices and campaigns all address it the same way; the 客服账号 it goes through is remembered.
   */
  private async dispatch(chat: KfChat, inbound: Inbound): Promise<void> {
    if (!this.handler) return;
    const customer = await this.knownCustomer(chat.externalUserId);
    const name = customer?.nickname?.slice(0, 200);
    await this.handler({
      ...inbound,
      chat: { ...inbound.chat, id: chat.externalUserId },
      sender: { ...inbound.sender, ...(name ? { name } : {}) },
    });
    if (customer?.unionid) {
      // The unionid is the key WeChat gives one person across a company's apps: kept on the identity,
      // where merge suggestions find it.
      await this.options.deps.identities.reconcileStableKey('wecom', {
        externalId: chat.externalUserId,
        displayName: name ?? '',
        stableKey: customer.unionid,
      });
    }
  }

  private async knownCustomer(externalUserId: string): Promise<KnownCustomer | undefined> {
    const { values, log } = this.options.deps;
    const stored = parseKnownCustomer(await values.get(KEY.customer(externalUserId)));
    if (stored) return stored;
    try {
      const { customers } = await this.api.batchGetCustomers([externalUserId]);
      const found = customers.find((c) => c.external_userid === externalUserId);
      const known: KnownCustomer = {
        ...(found?.nickname ? { nickname: found.nickname } : {}),
        ...(found?.unionid ? { unionid: found.unionid } : {}),
      };
      await values.set(KEY.customer(externalUserId), { ...known });
      return known;
    } catch (error) {
      // Asked again with the customer's next message.
      log.warn({ err: error }, 'wecom customer/batchget failed');
      return undefined;
    }
  }

  /** Stores a photo the customer sent like a webchat upload; a failure is logged, the message goes on. */
  private async savePhoto(chat: KfChat, mediaId: string): Promise<Attachment[]> {
    const { files, log } = this.options.deps;
    try {
      const file = await this.api.downloadMedia(mediaId);
      if (file.data.length > files.maxImageBytes) return [];
      return [await files.saveImage('wecom', chat.externalUserId, file.data, file.name)];
    } catch (error) {
      log.warn({ err: error }, 'wecom photo not stored');
      return [];
    }
  }

  /** A 接待人员 took, was handed or ended the session in the WeCom app: Guanxi shows the same. */
  private async onSessionChange(item: Extract<KfItem, { kind: 'session_change' }>): Promise<void> {
    if (item.change === 'ended') {
      const { values, conversations } = this.options.deps;
      await values.set(KEY.servicer(item.chat.externalUserId), {});
      await conversations.endedOnPlatform('wecom', item.chat.externalUserId, item.oldServicerUserId ?? 'app');
      return;
    }
    await this.takenInApp(item.chat, item.newServicerUserId);
  }

  private async takenInApp(chat: KfChat, servicerUserId: string | undefined): Promise<void> {
    const { values, conversations } = this.options.deps;
    await this.rememberAccount(chat);
    const by = servicerUserId ?? 'app';
    // Each message a 接待人员 sends also says who holds the chat: only a change of hands is news.
    if ((await this.servicerOf(chat.externalUserId)) === by) return;
    await values.set(KEY.servicer(chat.externalUserId), { by });
    await conversations.takenOnPlatform('wecom', chat.externalUserId, by);
  }

  /**
   * Mirrors what Guanxi's console did to the chat in WeCom's session state (service_state/trans).
   * Taken by (or transferred to) a staff member with a WeCom userid: the session goes to them as
   * 接待人员 (state 3), so the WeCom app shows it as theirs; they answer there, since WeCom accepts API
   * messages only while the session is new or with the bot (states 0 and 1). Taken by staff without
   * a userid: the session stays with the API (Guanxi), so the console's replies go out; the waiting
   * pool (state 2) would refuse them and cannot be left through the API except to a 接待人员.
   * Handed back to the bot or resolved while a 接待人员 holds it: the session is ended (state 4, the
   * only move WeCom allows from 3), and the customer's next message opens a new one the bot answers.
   * A refusal is shown on the conversation in words; Guanxi's state stands either way.
   */
  private async onConversation(change: ConversationChange): Promise<void> {
    const chat = await this.chatOf(change.chatId);
    if (!chat) return;
    const servicer = change.status === 'open' ? change.assignee?.wecomUserId : undefined;
    if (servicer) {
      if ((await this.servicerOf(chat.externalUserId)) === servicer) return;
      await this.transSession(chat, { state: 'staff', servicerUserId: servicer }, `staff:${servicer}`);
      return;
    }
    if (change.status !== 'resolved' && change.status !== 'bot') return;
    if (!(await this.servicerOf(chat.externalUserId))) return;
    await this.transSession(chat, { state: 'ended' }, 'ended');
  }

  private async transSession(
    chat: KfChat,
    target: { state: 'staff'; servicerUserId: string } | { state: 'ended' },
    wanted: string,
  ): Promise<void> {
    const { values, log, conversations } = this.options.deps;
    try {
      await this.api.transServiceState({ openKfId: chat.openKfId, externalUserId: chat.externalUserId, ...target });
      await values.set(
        KEY.servicer(chat.externalUserId),
        target.state === 'staff' ? { by: target.servicerUserId } : {},
      );
    } catch (error) {
      const reason = refusalOf(error);
      log.warn({ err: error, reason, wanted }, 'wecom service_state/trans refused');
      // Ending a session WeCom had already ended leaves both sides where Guanxi wanted them.
      if (target.state === 'ended' && reason === 'session_ended') {
        await values.set(KEY.servicer(chat.externalUserId), {});
        return;
      }
      await conversations.refusedOnPlatform('wecom', chat.externalUserId, { reason, wanted });
    }
  }

  /**
   * The 接待人员 holding the session, checked with WeCom when one was seen (a session also ends
   * without an event, after 48 hours): a stale holder is forgotten.
   */
  private async servicerStill(chat: KfChat): Promise<string | undefined> {
    const seen = await this.servicerOf(chat.externalUserId);
    if (!seen) return undefined;
    const now = await this.api.getServiceState(chat.openKfId, chat.externalUserId);
    if (now.state === 'staff' || now.state === 'queue') return now.servicerUserId ?? seen;
    await this.options.deps.values.set(KEY.servicer(chat.externalUserId), {});
    return undefined;
  }

  /** The 接待人员 holding the customer's session in the WeCom app, as last seen; undefined when none. */
  private async servicerOf(externalUserId: string): Promise<string | undefined> {
    const held = await this.options.deps.values.get(KEY.servicer(externalUserId));
    return isRecord(held) && typeof held.by === 'string' ? held.by : undefined;
  }

  /** The 客服账号 the customer last wrote to: where messages to them go. */
  private async rememberAccount(chat: KfChat): Promise<void> {
    const { values } = this.options.deps;
    const key = KEY.account(chat.externalUserId);
    if ((await values.get(key)) !== chat.openKfId) await values.set(key, chat.openKfId);
  }

  /** The customer and 客服账号 behind a chat id: the customer's external_userid (or `<open_kfid>:<external_userid>`). */
  private async chatOf(chatId: string): Promise<KfChat | undefined> {
    const explicit = parseKfChatId(chatId);
    if (explicit) return explicit;
    const stored = await this.options.deps.values.get(KEY.account(chatId));
    if (typeof stored === 'string') return kfChat(stored, chatId);
    const [only, ...others] = this.accounts;
    return only && others.length === 0 ? kfChat(only, chatId) : undefined;
  }

  private async allowance(chatId: string): Promise<ReplyAllowance> {
    return parseAllowance(await this.options.deps.values.get(KEY.allowance(chatId)));
  }

  /** The chat's unused welcome_code, removed as it is taken (a code works once). */
  private async takeWelcomeCode(chatId: string): Promise<{ code: string; receivedAt: Date } | undefined> {
    const { values } = this.options.deps;
    const stored = await values.get(KEY.welcome(chatId));
    if (!isRecord(stored) || typeof stored.code !== 'string' || typeof stored.receivedAt !== 'string') return undefined;
    await values.set(KEY.welcome(chatId), {});
    const receivedAt = new Date(stored.receivedAt);
    return Number.isNaN(receivedAt.getTime()) ? undefined : { code: stored.code, receivedAt };
  }
}

function allowanceJson(allowance: ReplyAllowance): JsonValue {
  return {
    last: allowance.lastCustomerMessageAt?.toISOString() ?? null,
    sent: allowance.sentSince,
  };
}

function parseAllowance(value: unknown): ReplyAllowance {
  if (!isRecord(value) || typeof value.last !== 'string' || typeof value.sent !== 'number') return noAllowance;
  const last = new Date(value.last);
  return Number.isNaN(last.getTime()) ? noAllowance : { lastCustomerMessageAt: last, sentSince: value.sent };
}

function parseKnownCustomer(value: unknown): KnownCustomer | undefined {
  if (!isRecord(value)) return undefined;
  return {
    ...(typeof value.nickname === 'string' ? { nickname: value.nickname } : {}),
    ...(typeof value.unionid === 'string' ? { unionid: value.unionid } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
