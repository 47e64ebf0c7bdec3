// The 微信客服 endpoints Guanxi uses, typed: request bodies as WeCom documents them, answers
// checked with zod. Every call goes through WecomClient (token, errors); nothing here knows Guanxi.
import { z } from 'zod';
import type { WecomClient } from './client.ts';
import { checkMedia, type MediaFile, type MediaType, multipartBody } from './media.ts';

export interface MenuClickItem {
  type: 'click';
  click: { id: string; content: string };
}

/** A message body send_msg and send_msg_on_event accept (the kinds Guanxi sends). */
export type KfContent =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'image'; image: { media_id: string } }
  | { msgtype: 'msgmenu'; msgmenu: { head_content?: string; list: MenuClickItem[]; tail_content?: string } };

export type SendMsgBody = KfContent & {
  touser: string;
  open_kfid: string;
  /** Our own id for the message (≤ 32 bytes of [0-9a-zA-Z_-]); WeCom echoes it. */
  msgid?: string;
};

/** The session states of service_state/get and /trans (会话状态). */
export const KfServiceState = z.enum(['new', 'bot', 'queue', 'staff', 'ended']);
export type KfServiceState = z.infer<typeof KfServiceState>;
const serviceStateCodes: Record<KfServiceState, number> = { new: 0, bot: 1, queue: 2, staff: 3, ended: 4 };

const SyncMsgAnswer = z.object({
  next_cursor: z.string().default(''),
  has_more: z.union([z.literal(0), z.literal(1)]).default(0),
  // Items are checked one by one by the mapping, so one odd message does not drop a batch.
  msg_list: z.array(z.unknown()).default([]),
});

const SentAnswer = z.object({ msgid: z.string().default('') });

const KfCustomer = z.object({
  external_userid: z.string().min(1),
  nickname: z.string().optional(),
  avatar: z.string().optional(),
  gender: z.number().int().optional(),
  unionid: z.string().optional(),
  enter_session_context: z.object({ scene: z.string().optional(), scene_param: z.string().optional() }).optional(),
});
export type KfCustomer = z.infer<typeof KfCustomer>;

const BatchGetAnswer = z.object({
  customer_list: z.array(KfCustomer).default([]),
  invalid_external_userid: z.array(z.string()).default([]),
});

const ServiceStateAnswer = z.object({
  service_state: z.number().int().min(0).max(4),
  servicer_userid: z.string().optional(),
});

const TransAnswer = z.object({ msg_code: z.string().optional() });

const UploadAnswer = z.object({
  type: z.string(),
  media_id: z.string().min(1),
  created_at: z.union([z.string(), z.number()]).optional(),
});

/** customer/batchget takes at most 100 ids per call. */
const BATCH_GET_MAX = 100;

export interface SyncPage {
  nextCursor: string;
  hasMore: boolean;
  messages: unknown[];
}

export class KfApi {
  constructor(private readonly client: WecomClient) {}

  /** One page of kf/sync_msg. `token` is the callback's Token (looser rate limit, valid 10 minutes). */
  async syncMsg(request: { cursor?: string; token?: string; limit?: number; openKfId?: string }): Promise<SyncPage> {
    const answer = await this.client.post(
      '/cgi-bin/kf/sync_msg',
      {
        ...(request.cursor ? { cursor: request.cursor } : {}),
        ...(request.token ? { token: request.token } : {}),
        limit: request.limit ?? 1000,
        ...(request.openKfId ? { open_kfid: request.openKfId } : {}),
      },
      SyncMsgAnswer,
    );
    return { nextCursor: answer.next_cursor, hasMore: answer.has_more === 1, messages: answer.msg_list };
  }

  /** kf/send_msg; returns WeCom's msgid (ours when given). */
  async sendMsg(body: SendMsgBody): Promise<{ msgid: string }> {
    return this.client.post('/cgi-bin/kf/send_msg', body, SentAnswer);
  }

  /** kf/send_msg_on_event: a welcome (enter_session's welcome_code) or a session message (msg_code). */
  async sendMsgOnEvent(code: string, content: KfContent, msgid?: string): Promise<{ msgid: string }> {
    return this.client.post(
      '/cgi-bin/kf/send_msg_on_event',
      { code, ...(msgid ? { msgid } : {}), ...content },
      SentAnswer,
    );
  }

  /** Nickname, avatar and unionid of customers, 100 per call; unknown ids come back in `invalid`. */
  async batchGetCustomers(
    externalUserIds: string[],
    options: { withSessionContext?: boolean } = {},
  ): Promise<{ customers: KfCustomer[]; invalid: string[] }> {
    const customers: KfCustomer[] = [];
    const invalid: string[] = [];
    for (let start = 0; start < externalUserIds.length; start += BATCH_GET_MAX) {
      const answer = await this.client.post(
        '/cgi-bin/kf/customer/batchget',
        {
          external_userid_list: externalUserIds.slice(start, start + BATCH_GET_MAX),
          need_enter_session_context: options.withSessionContext ? 1 : 0,
        },
        BatchGetAnswer,
      );
      customers.push(...answer.customer_list);
      invalid.push(...answer.invalid_external_userid);
    }
    return { customers, invalid };
  }

  async getServiceState(
    openKfId: string,
    externalUserId: string,
  ): Promise<{ state: KfServiceState; servicerUserId?: string }> {
    const answer = await this.client.post(
      '/cgi-bin/kf/service_state/get',
      { open_kfid: openKfId, external_userid: externalUserId },
      ServiceStateAnswer,
    );
    const state = KfServiceState.options[answer.service_state] ?? 'new';
    return { state, ...(answer.servicer_userid ? { servicerUserId: answer.servicer_userid } : {}) };
  }

  /** Moves the session (bot → queue → staff, or ended); `servicerUserId` is required for `staff`. */
  async transServiceState(request: {
    openKfId: string;
    externalUserId: string;
    state: KfServiceState;
    servicerUserId?: string;
  }): Promise<{ msgCode?: string }> {
    const answer = await this.client.post(
      '/cgi-bin/kf/service_state/trans',
      {
        open_kfid: request.openKfId,
        external_userid: request.externalUserId,
        service_state: serviceStateCodes[request.state],
        ...(request.servicerUserId ? { servicer_userid: request.servicerUserId } : {}),
      },
      TransAnswer,
    );
    return answer.msg_code ? { msgCode: answer.msg_code } : {};
  }

  /** media/upload (temporary media, kept 3 days by WeCom); throws MediaRejected before sending a file WeCom would refuse. */
  async uploadMedia(type: MediaType, file: MediaFile): Promise<{ mediaId: string }> {
    checkMedia(type, file);
    const answer = await this.client.postForm('/cgi-bin/media/upload', { type }, multipartBody(file), UploadAnswer);
    return { mediaId: answer.media_id };
  }

  /** media/get: a customer's image, voice or file. */
  async downloadMedia(mediaId: string) {
    return this.client.getFile('/cgi-bin/media/get', { media_id: mediaId });
  }
}
