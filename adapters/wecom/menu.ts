// Buttons become msgmenu "click" items. When the customer taps one, WeCom sends a text message
// with the item's content and `menu_id` = the item's id, which maps back to the button's data.
// Data that does not fit an id (64 bytes) is stored server-side under a content-addressed key, as
// the Telegram adapter does for callback data; the running app provides that store.
import { createHash } from 'node:crypto';

export const MENU_ID_MAX_BYTES = 64;
/** Ids starting with this are keys into the payload store. */
const KEY_PREFIX = '~';

/** Long button data, kept by the running app (the ButtonPayload table). */
export interface ButtonPayloadStore {
  put(key: string, data: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
}

export async function menuIdFor(data: string, store: ButtonPayloadStore): Promise<string> {
  if (Buffer.byteLength(data, 'utf8') <= MENU_ID_MAX_BYTES && !data.startsWith(KEY_PREFIX)) return data;
  const key = createHash('sha256').update(data).digest('base64url').slice(0, 24);
  await store.put(storeKey(key), data);
  return `${KEY_PREFIX}${key}`;
}

/** The button data behind a clicked menu id; undefined for a key the store does not know. */
export async function dataForMenuId(menuId: string, store: ButtonPayloadStore): Promise<string | undefined> {
  if (!menuId.startsWith(KEY_PREFIX)) return menuId;
  return store.get(storeKey(menuId.slice(KEY_PREFIX.length)));
}

function storeKey(key: string): string {
  return `wecom:${key}`;
}
