// sync_msg items → what they mean for Guanxi. Customer messages (origin 3) become `Inbound`
// (text, image, voice, video, file, location, link; a msgmenu click carries the button's data);
// system events (origin 4) are typed (enter_session with its scene/scene_param and welcome_code,
// session changes made in the WeCom app, failed sends); messages a 接待人员 sent from the WeCom app
// (origin 5) are reported as such. The dedupe key is WeCom's msgid. Items are checked one by one:
// one odd item is reported `ignored`, never a reason to drop the page.
import { z } from 'zod';
import { clampText, Inbound } from '../../src/domain/messages.ts';
import { type KfChat, kfChat, kfChatId } from './chat-id.ts';
import type { MediaType } from './media.ts';
import { type ButtonPayloadStore, dataForMenuId } from './menu.ts';

const MediaRef = z.object({ media_id: z.string().min(1) });
const optionalText = z.string().optional();

const KfEvent = z.object({
  event_type: z.string().min(1),
  open_kfid: optionalText,
  external_userid: optionalText,
  servicer_userid: optionalText,
  scene: optionalText,
  scene_param: optionalText,
  welcome_code: optionalText,
  change_type: z.number().int().optional(),
  old_servicer_userid: optionalText,
  new_servicer_userid: optionalText,
  msg_code: optionalText,
  fail_msgid: optionalText,
  fail_type: z.number().int().optional(),
  recall_msgid: optionalText,
});

/** One msg_list item of kf/sync_msg (fields Guanxi reads; others are ignored). */
export const KfMessage = z.object({
  msgid: z.string().min(1).max(200),
  send_time: z.number().int().nonnegative(),
  /** 3 customer, 4 system event, 5 a 接待人员 in the WeCom app. */
  origin: z.number().int(),
  open_kfid: optionalText,
  external_userid: optionalText,
  servicer_userid: optionalText,
  msgtype: z.string().min(1),
  text: z.object({ content: z.string(), menu_id: optionalText }).optional(),
  image: MediaRef.optional(),
  voice: MediaRef.optional(),
  video: MediaRef.optional(),
  file: MediaRef.optional(),
  location: z
    .object({ latitude: z.number(), longitude: z.number(), name: optionalText, address: optionalText })
    .optional(),
  link: z.object({ title: optionalText, url: optionalText }).optional(),
  event: KfEvent.optional(),
});
export type KfMessage = z.infer<typeof KfMessage>;

export const ORIGIN = { customer: 3, event: 4, servicer: 5 } as const;

/** change_type of session_status_change: what a 接待人员 did in the WeCom app. */
export const SessionChange = z.enum(['taken_from_queue', 'transferred', 'ended', 'rejoined']);
export type SessionChange = z.infer<typeof SessionChange>;
const sessionChanges: Record<number, SessionChange> = {
  1: 'taken_from_queue',
  2: 'transferred',
  3: 'ended',
  4: 'rejoined',
};

export interface EnterSource {
  scene?: string;
  sceneParam?: string;
}

export type KfItem =
  | { kind: 'customer_message'; chat: KfChat; inbound: Inbound; media?: { type: MediaType; mediaId: string } }
  | { kind: 'enter_session'; chat: KfChat; inbound: Inbound; welcomeCode?: string; source: EnterSource }
  | { kind: 'servicer_message'; chat: KfChat; msgid: string; at: Date; servicerUserId?: string; text: string }
  | {
      kind: 'session_change';
      chat: KfChat;
      msgid: string;
      at: Date;
      change: SessionChange;
      oldServicerUserId?: string;
      newServicerUserId?: string;
      /** For send_msg_on_event (a greeting or closing message); only on taken_from_queue and ended. */
      msgCode?: string;
    }
  | { kind: 'send_failed'; msgid: string; at: Date; failedMsgid: string; failType: number; chat?: KfChat }
  | { kind: 'other_event'; msgid: string; at: Date; eventType: string }
  | { kind: 'ignored'; msgid?: string; reason: 'malformed' | 'unsupported' };

const mediaTypes: Record<string, MediaType> = { image: 'image', voice: 'voice', video: 'video', file: 'file' };

export async function mapKfMessage(raw: unknown, payloads: ButtonPayloadStore): Promise<KfItem> {
  const parsed = KfMessage.safeParse(raw);
  if (!parsed.success) return { kind: 'ignored', ...msgidOf(raw), reason: 'malformed' };
  const message = parsed.data;
  const at = new Date(message.send_time * 1000);
  switch (message.origin) {
    case ORIGIN.customer:
      return customerMessage(message, at, payloads);
    case ORIGIN.event:
      return eventItem(message, at);
    case ORIGIN.servicer: {
      const chat = kfChat(message.open_kfid, message.external_userid);
      if (!chat) return { kind: 'ignored', msgid: message.msgid, reason: 'malformed' };
      return {
        kind: 'servicer_message',
        chat,
        msgid: message.msgid,
        at,
        ...(message.servicer_userid ? { servicerUserId: message.servicer_userid } : {}),
        // Pictures and files a 接待人员 sends are logged by kind (their content stays in WeCom).
        text: clampText(message.text?.content ?? `[${message.msgtype.slice(0, 40)}]`),
      };
    }
    default:
      return { kind: 'ignored', msgid: message.msgid, reason: 'unsupported' };
  }
}

async function customerMessage(message: KfMessage, at: Date, payloads: ButtonPayloadStore): Promise<KfItem> {
  const chat = kfChat(message.open_kfid, message.external_userid);
  if (!chat) return { kind: 'ignored', msgid: message.msgid, reason: 'malformed' };
  let text = '';
  let action: Inbound['action'];
  let attachment: Inbound['attachment'];
  let media: { type: MediaType; mediaId: string } | undefined;
  const mediaType = mediaTypes[message.msgtype];
  const malformed: KfItem = { kind: 'ignored', msgid: message.msgid, reason: 'malformed' };
  if (message.msgtype === 'text') {
    if (!message.text) return malformed;
    text = message.text.content;
    // A tapped msgmenu item: the content is its label, menu_id leads back to the button's data.
    const data = message.text.menu_id ? await dataForMenuId(message.text.menu_id, payloads) : undefined;
    if (data) action = { data };
  } else if (mediaType) {
    const mediaId = message[mediaType]?.media_id;
    if (!mediaId) return malformed;
    media = { type: mediaType, mediaId };
    attachment = { kind: mediaType, ref: mediaId };
  } else if (message.msgtype === 'location') {
    if (!message.location) return malformed;
    const { latitude, longitude, name, address } = message.location;
    // A shared location usually answers "where should we send it": keep the address readable.
    text = [name, address].filter(Boolean).join(' ');
    attachment = { kind: 'location', ref: `${latitude},${longitude}` };
  } else if (message.msgtype === 'link') {
    if (!message.link) return malformed;
    text = message.link.url ?? message.link.title ?? '';
    attachment = { kind: 'link' };
  } else {
    // Mini programs, business cards, Channels products…: logged, and the reply window still opens.
    attachment = { kind: message.msgtype.slice(0, 40) };
  }
  const inbound = Inbound.safeParse({
    channel: 'wecom',
    messageId: message.msgid,
    at,
    chat: { id: kfChatId(chat), kind: 'private' },
    sender: { id: chat.externalUserId },
    text: clampText(text),
    mentionsBot: true,
    ...(action ? { action } : {}),
    ...(attachment ? { attachment } : {}),
  });
  if (!inbound.success) return malformed;
  return { kind: 'customer_message', chat, inbound: inbound.data, ...(media ? { media } : {}) };
}

function eventItem(message: KfMessage, at: Date): KfItem {
  const event = message.event;
  if (message.msgtype !== 'event' || !event) return { kind: 'ignored', msgid: message.msgid, reason: 'malformed' };
  const chat = kfChat(event.open_kfid, event.external_userid);
  const { msgid } = message;
  switch (event.event_type) {
    case 'enter_session': {
      if (!chat) return { kind: 'ignored', msgid, reason: 'malformed' };
      const source: EnterSource = {
        ...(event.scene ? { scene: event.scene } : {}),
        ...(event.scene_param ? { sceneParam: event.scene_param } : {}),
      };
      // The customer opened the chat: greet through the pipeline like a /start (the welcome goes out
      // with send_msg_on_event and the welcome_code, the only send allowed before they write).
      const inbound = Inbound.safeParse({
        channel: 'wecom',
        messageId: msgid,
        at,
        chat: { id: kfChatId(chat), kind: 'private' },
        sender: { id: chat.externalUserId },
        text: '/start',
        mentionsBot: true,
        attachment: { kind: 'enter_session', ...(event.scene ? { ref: event.scene.slice(0, 200) } : {}) },
      });
      if (!inbound.success) return { kind: 'ignored', msgid, reason: 'malformed' };
      return {
        kind: 'enter_session',
        chat,
        inbound: inbound.data,
        ...(event.welcome_code ? { welcomeCode: event.welcome_code } : {}),
        source,
      };
    }
    case 'session_status_change': {
      const change = event.change_type === undefined ? undefined : sessionChanges[event.change_type];
      if (!chat || !change) return { kind: 'ignored', msgid, reason: 'malformed' };
      return {
        kind: 'session_change',
        chat,
        msgid,
        at,
        change,
        ...(event.old_servicer_userid ? { oldServicerUserId: event.old_servicer_userid } : {}),
        ...(event.new_servicer_userid ? { newServicerUserId: event.new_servicer_userid } : {}),
        ...(event.msg_code ? { msgCode: event.msg_code } : {}),
      };
    }
    case 'msg_send_fail': {
      if (!event.fail_msgid) return { kind: 'ignored', msgid, reason: 'malformed' };
      return {
        kind: 'send_failed',
        msgid,
        at,
        failedMsgid: event.fail_msgid,
        failType: event.fail_type ?? 0,
        ...(chat ? { chat } : {}),
      };
    }
    default:
      return { kind: 'other_event', msgid, at, eventType: event.event_type.slice(0, 64) };
  }
}

function msgidOf(raw: unknown): { msgid?: string } {
  if (typeof raw === 'object' && raw !== null && 'msgid' in raw && typeof raw.msgid === 'string') {
    return { msgid: raw.msgid.slice(0, 200) };
  }
  return {};
}
