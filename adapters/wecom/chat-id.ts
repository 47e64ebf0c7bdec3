// A 微信客服 chat is one customer talking to one 客服账号: sending needs both ids (touser and
// open_kfid), so the neutral chat id carries both. Both are WeCom ids of [A-Za-z0-9_-].
const SEPARATOR = ':';
const WECOM_ID = /^[A-Za-z0-9_-]{1,96}$/;

export interface KfChat {
  openKfId: string;
  externalUserId: string;
}

/** The chat of a customer and a 客服账号, when both ids are well-formed WeCom ids. */
export function kfChat(openKfId: string | undefined, externalUserId: string | undefined): KfChat | undefined {
  if (!openKfId || !externalUserId || !WECOM_ID.test(openKfId) || !WECOM_ID.test(externalUserId)) return undefined;
  return { openKfId, externalUserId };
}

export function kfChatId(chat: KfChat): string {
  return `${chat.openKfId}${SEPARATOR}${chat.externalUserId}`;
}

/** The two ids inside a chat id, or undefined when it is not a 微信客服 chat id. */
export function parseKfChatId(chatId: string): KfChat | undefined {
  const [openKfId, externalUserId, ...rest] = chatId.split(SEPARATOR);
  return rest.length > 0 ? undefined : kfChat(openKfId, externalUserId);
}
