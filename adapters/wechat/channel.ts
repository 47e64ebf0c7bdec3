// The WeChat channel on Wechaty 1.x: private chats and rooms, @mentions, numbered options, friend
// requests and room joins. Which puppet talks to WeChat is chosen in index.ts from config.

import { FileBox, type FileBoxInterface } from 'file-box';
import type {
  Contact as ContactInterface,
  Friendship as FriendshipInterface,
  Message as MessageInterface,
  Room as RoomInterface,
  Wechaty,
} from 'wechaty';
import { types } from 'wechaty';
import type { Attachment, Inbound } from '../../src/domain/messages.ts';
import type { Channel, HandleResult, InboundHandler, OutboundMessage, PacingPolicy, SendResult } from '../contract.ts';
import { photoFileName, SendError } from '../contract.ts';
import type { ChannelDeps } from '../deps.ts';
import { type ContactKeys, reconcileIdentity } from './identity.ts';
import { menuKey, pickOption, rememberMenu, renderOptions } from './numbered.ts';

export interface WechatPacingConfig {
  perChatIntervalMs: number;
  perMinute: number;
  jitterMinMs: number;
  jitterMaxMs: number;
  dailyCap: number;
}

/** Bot-like bursts get WeChat accounts banned: the same slow pace for replies and broadcasts. */
export function wechatPacing(config: WechatPacingConfig): PacingPolicy {
  return {
    privateChatIntervalMs: config.perChatIntervalMs,
    groupIntervalMs: config.perChatIntervalMs,
    globalPerMinute: config.perMinute,
    jitterMs: [config.jitterMinMs, config.jitterMaxMs],
    dailyCap: config.dailyCap,
  };
}

export interface WechatChannelOptions {
  bot: Wechaty;
  pacing: PacingPolicy;
  autoAcceptFriends: boolean;
  deps: ChannelDeps;
}

const attachmentKinds: Partial<Record<types.Message, string>> = {
  [types.Message.Image]: 'image',
  [types.Message.Emoticon]: 'sticker',
  [types.Message.Audio]: 'voice',
  [types.Message.Video]: 'video',
  [types.Message.Attachment]: 'file',
  [types.Message.Url]: 'link',
  [types.Message.MiniProgram]: 'miniprogram',
  [types.Message.Location]: 'location',
  [types.Message.Contact]: 'contact',
};

export class WechatChannel implements Channel {
  readonly name = 'wechat' as const;
  readonly sendsImages = true;
  readonly pacing: PacingPolicy;
  private handler: InboundHandler | null = null;
  // Wechaty events are fire-and-forget: keep them so stop() (and tests) can wait for them.
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: WechatChannelOptions) {
    this.pacing = options.pacing;
    const { bot } = options;
    bot.on('message', (message: MessageInterface) => this.track(this.onMessage(message)));
    bot.on('friendship', (friendship: FriendshipInterface) => this.track(this.onFriendship(friendship)));
    bot.on('room-join', (room: RoomInterface, invitees: ContactInterface[]) =>
      this.track(this.onRoomJoin(room, invitees)),
    );
  }

  get bot(): Wechaty {
    return this.options.bot;
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
    await this.options.bot.start();
  }

  async stop(): Promise<void> {
    await this.idle();
    await this.options.bot.stop();
    this.handler = null;
  }

  /** Resolves when every event received so far has been handled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const { bot, deps } = this.options;
    if (!bot.isLoggedIn) throw new SendError('wechat is not logged in', 'retryable', 30_000);
    const inRoom = isRoomId(message.chatId);
    if (message.buttons?.length) {
      await rememberMenu(
        deps.values,
        menuKey(message.chatId, inRoom ? message.mentionUserId : undefined),
        message.buttons,
      );
    }
    const text = renderOptions(message.text, message.buttons);
    // WeChat has no captions: the photo goes first, its text (if any) as the next message. The file
    // is read before anything is sent, so a failure there sends nothing.
    const photo = message.image ? await this.photoBox(message.image) : undefined;
    try {
      if (inRoom) {
        const room = await bot.Room.find({ id: message.chatId });
        if (!room) throw new SendError(`room ${message.chatId} not found`, 'permanent');
        const member = message.mentionUserId ? await bot.Contact.find({ id: message.mentionUserId }) : undefined;
        if (photo) await room.say(photo);
        if (!text) return {};
        if (member) await room.say(text, member);
        else await room.say(text);
      } else {
        const contact = await bot.Contact.find({ id: message.chatId });
        if (!contact) throw new SendError(`contact ${message.chatId} not found`, 'permanent');
        if (photo) await contact.say(photo);
        if (text) await contact.say(text);
      }
    } catch (error) {
      if (error instanceof SendError) throw error;
      // The puppet may have handed it to WeChat before failing: never send twice.
      throw new SendError(error instanceof Error ? error.message : String(error), 'ambiguous');
    }
    return {};
  }

  private async photoBox(image: Attachment): Promise<FileBoxInterface> {
    const { bytes } = await this.options.deps.files.read(image.id);
    // Base64, not a Buffer box: puppets that pass files on (puppet-service, the mock) serialise them.
    return FileBox.fromBase64(bytes.toString('base64'), photoFileName(image));
  }

  private track(task: Promise<unknown>): void {
    const tracked = task
      .catch((error: unknown) => this.options.deps.log.error({ err: error }, 'wechat event failed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async dispatch(inbound: Inbound, contact: ContactKeys): Promise<HandleResult | undefined> {
    if (!this.handler) return undefined;
    const known = await this.options.deps.identities.isKnown('wechat', contact.id);
    await reconcileIdentity(this.options.deps, contact);
    const result = await this.handler(inbound);
    if (!known) await reconcileIdentity(this.options.deps, contact);
    return result;
  }

  private async onMessage(message: MessageInterface): Promise<void> {
    if (message.self()) return;
    const talker = message.talker();
    // Official accounts (公众号) push articles; they are not customers.
    if (talker.type() === types.Contact.Official) return;
    const room = message.room();
    const type = message.type();
    const attachment = attachmentKinds[type];
    const mentionsBot = room ? await message.mentionSelf() : true;
    let text = type === types.Message.Text ? (room ? await message.mentionText() : message.text()) : '';
    const chat: Inbound['chat'] = room
      ? { id: room.id, kind: 'group', title: (await room.topic()).slice(0, 200) }
      : { id: talker.id, kind: 'private' };
    const option = await pickOption(this.options.deps.values, menuKey(chat.id, room ? talker.id : undefined), text);
    // In a room a bare number answers the menu that @-ed this member; other chatter is not addressed.
    const action = option ? { data: option.data } : undefined;
    if (option) text = option.label;
    const contact = await keysOf(talker);
    await this.dispatch(
      {
        channel: 'wechat',
        messageId: message.id,
        at: message.date(),
        chat,
        sender: { id: talker.id, ...(contact.name ? { name: contact.name.slice(0, 200) } : {}) },
        text,
        mentionsBot,
        ...(action ? { action } : {}),
        ...(attachment ? { attachment: { kind: attachment } } : {}),
        ...(type === types.Message.Image ? await this.savePhoto(message, talker.id) : {}),
      },
      contact,
    );
  }

  /**
   * Stores a photo the customer sent (after-sale evidence) like a webchat upload. A failure (too
   * large, not an accepted image, the puppet cannot fetch it) is logged; the message still goes through.
   */
  private async savePhoto(message: MessageInterface, owner: string): Promise<{ attachments?: Attachment[] }> {
    const { files, log } = this.options.deps;
    try {
      const box = await message.toFileBox();
      if (box.size > files.maxImageBytes) return {};
      const bytes = await box.toBuffer();
      return { attachments: [await files.saveImage('wechat', owner, bytes, box.name)] };
    } catch (error) {
      log.warn({ err: error }, 'wechat photo not stored');
      return {};
    }
  }

  private async onFriendship(friendship: FriendshipInterface): Promise<void> {
    if (friendship.type() !== types.Friendship.Receive) return;
    if (!this.options.autoAcceptFriends) {
      this.options.deps.log.info('wechat friend request left for the shop owner (WECHAT_AUTO_ACCEPT_FRIENDS=false)');
      return;
    }
    await friendship.accept();
    const contact = friendship.contact();
    // The welcome is the main menu, sent through the pipeline so it is logged, paced and sent once.
    await this.dispatch(
      {
        channel: 'wechat',
        messageId: `friendship:${friendship.id}`,
        at: this.options.deps.clock.now(),
        chat: { id: contact.id, kind: 'private' },
        sender: { id: contact.id, name: contact.name().slice(0, 200) },
        text: '/start',
        mentionsBot: true,
        attachment: { kind: 'friend-accepted' },
      },
      await keysOf(contact),
    );
  }

  private async onRoomJoin(room: RoomInterface, invitees: ContactInterface[]): Promise<void> {
    const topic = (await room.topic()).slice(0, 200);
    const at = this.options.deps.clock.now();
    for (const invitee of invitees) {
      if (invitee.self()) continue;
      // Creates the member's profile and greets them in the room, @-ing them.
      await this.dispatch(
        {
          channel: 'wechat',
          messageId: `room-join:${room.id}:${invitee.id}:${at.toISOString().slice(0, 10)}`,
          at,
          chat: { id: room.id, kind: 'group', title: topic },
          sender: { id: invitee.id, name: invitee.name().slice(0, 200) },
          text: '/start',
          mentionsBot: true,
          attachment: { kind: 'room-join' },
        },
        await keysOf(invitee),
      );
    }
  }
}

/** WeChat room ids carry an "@" ("…@chatroom"); contact ids never do. The puppets rely on the same rule. */
function isRoomId(id: string): boolean {
  return id.includes('@');
}

async function keysOf(contact: ContactInterface): Promise<ContactKeys> {
  const alias = await contact.alias().catch(() => undefined);
  return { id: contact.id, name: contact.name(), handle: contact.handle(), alias };
}
