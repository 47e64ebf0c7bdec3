// A Guanxi reply → the send_msg contents it takes, within WeCom's limits: text up to 2048 bytes per
// message, buttons as msgmenu click items (at most 10 per menu, labels up to 128 bytes, ids up to
// 64 bytes: see menu.ts), the menu's head_content (up to 1024 bytes) carrying the reply's text.
// Every content is one message towards the platform's five per customer message (rules.ts).
import type { Button } from '../../src/domain/messages.ts';
import type { KfChat } from './chat-id.ts';
import type { KfContent, MenuClickItem, SendMsgBody } from './kf-api.ts';
import { type ButtonPayloadStore, menuIdFor } from './menu.ts';

export const TEXT_MAX_BYTES = 2048;
export const MENU_HEAD_MAX_BYTES = 1024;
export const MENU_ITEM_MAX_BYTES = 128;
export const MENU_MAX_ITEMS = 10;

export interface KfReply {
  text: string;
  buttons?: Button[];
}

/** The contents one reply needs, in sending order. */
export async function renderReply(reply: KfReply, payloads: ButtonPayloadStore): Promise<KfContent[]> {
  const texts = splitBytes(reply.text, TEXT_MAX_BYTES);
  const buttons = reply.buttons ?? [];
  if (buttons.length === 0) return texts.map(textContent);
  // The last piece of text heads the (first) menu, so the question and its answers arrive together.
  const last = texts.pop() ?? '';
  const heads = splitBytes(last, MENU_HEAD_MAX_BYTES);
  const head = heads.pop();
  const contents: KfContent[] = [...texts, ...heads].map(textContent);
  for (let start = 0; start < buttons.length; start += MENU_MAX_ITEMS) {
    const list: MenuClickItem[] = [];
    for (const button of buttons.slice(start, start + MENU_MAX_ITEMS)) {
      list.push({
        type: 'click',
        click: {
          id: await menuIdFor(button.data, payloads),
          content: truncateBytes(button.label, MENU_ITEM_MAX_BYTES),
        },
      });
    }
    contents.push({ msgtype: 'msgmenu', msgmenu: { ...(start === 0 && head ? { head_content: head } : {}), list } });
  }
  return contents;
}

export function imageContent(mediaId: string): KfContent {
  return { msgtype: 'image', image: { media_id: mediaId } };
}

/** A send_msg body for `chat`; `msgid` makes WeCom's id ours (see outboxMsgid). */
export function addressed(chat: KfChat, content: KfContent, msgid?: string): SendMsgBody {
  return { touser: chat.externalUserId, open_kfid: chat.openKfId, ...(msgid ? { msgid } : {}), ...content };
}

/** WeCom msgid for part `part` of outbox row `outboxId` (≤ 32 bytes of [0-9a-zA-Z_-]), to trace sends. */
export function outboxMsgid(outboxId: number, part: number): string {
  return `gx${outboxId}_${part}`;
}

function textContent(text: string): KfContent {
  return { msgtype: 'text', text: { content: text } };
}

/** Pieces of at most `maxBytes` UTF-8 bytes, cut at a line break when one is near, never inside a character. */
export function splitBytes(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest, 'utf8') > maxBytes) {
    const end = fittingPrefix(rest, maxBytes);
    const newline = rest.lastIndexOf('\n', end - 1);
    const cut = newline > end / 2 ? newline : end;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest || pieces.length === 0) pieces.push(rest);
  return pieces;
}

export function truncateBytes(text: string, maxBytes: number): string {
  return text.slice(0, fittingPrefix(text, maxBytes));
}

/** Length (in UTF-16 units) of the longest prefix of whole code points within `maxBytes`. */
function fittingPrefix(text: string, maxBytes: number): number {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char, 'utf8');
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return end;
}
