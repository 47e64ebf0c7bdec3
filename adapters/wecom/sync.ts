// Pulling 微信客服 messages after a kf_msg_or_event callback: kf/sync_msg from the stored cursor,
// page after page while has_more (WeCom may answer has_more with an empty page), each page handed
// over before its next_cursor is stored. A crash between the two replays that page on the next pull,
// which the pipeline's dedupe on msgid absorbs: at-least-once, never lost.
// Callers serialise pulls per 客服账号 (two concurrent pulls would start from the same cursor).
import { WecomApiError, WecomErrcode } from './errors.ts';
import type { KfApi } from './kf-api.ts';

/** Where next_cursor lives between pulls (a database row in the running app). */
export interface CursorStore {
  load(openKfId: string): Promise<string | undefined>;
  save(openKfId: string, cursor: string): Promise<void>;
}

export interface SyncRequest {
  openKfId: string;
  /** The callback's Token; without it (or once it expired) sync_msg is rate-limited harder. */
  token?: string;
  /** Messages per page (WeCom: at most 1000). */
  limit?: number;
  /** A bound on one pull; the next callback continues from the stored cursor. */
  maxPages?: number;
  cursors: CursorStore;
  /** Called once per page, in order, with the raw msg_list items. */
  handle(messages: unknown[]): Promise<void>;
}

export interface SyncOutcome {
  pages: number;
  messages: number;
  /** WeCom still had messages when maxPages stopped the pull. */
  stoppedEarly: boolean;
}

export async function pullMessages(api: KfApi, request: SyncRequest): Promise<SyncOutcome> {
  const { openKfId, cursors } = request;
  const maxPages = request.maxPages ?? 50;
  let cursor = await cursors.load(openKfId);
  let token = request.token;
  let pages = 0;
  let messages = 0;
  while (pages < maxPages) {
    let page: Awaited<ReturnType<KfApi['syncMsg']>>;
    try {
      page = await api.syncMsg({
        openKfId,
        limit: request.limit,
        ...(cursor ? { cursor } : {}),
        ...(token ? { token } : {}),
      });
    } catch (error) {
      // The callback's token is valid for 10 minutes; a slow pull goes on without it.
      if (token && error instanceof WecomApiError && error.errcode === WecomErrcode.invalidMsgToken) {
        token = undefined;
        continue;
      }
      throw error;
    }
    pages++;
    messages += page.messages.length;
    if (page.messages.length > 0) await request.handle(page.messages);
    if (page.nextCursor && page.nextCursor !== cursor) {
      await cursors.save(openKfId, page.nextCursor);
      cursor = page.nextCursor;
    } else if (page.hasMore) {
      // has_more without a new cursor would ask for the same page forever.
      return { pages, messages, stoppedEarly: true };
    }
    if (!page.hasMore) return { pages, messages, stoppedEarly: false };
  }
  return { pages, messages, stoppedEarly: true };
}
