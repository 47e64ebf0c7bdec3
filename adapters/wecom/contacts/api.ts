// The 客户联系 (external contact) server API, called with the contact secret (WECOM_CONTACT_SECRET):
// welcome messages, 渠道活码 (contact ways), corp tags, and 群发 tasks with their results. Paths and
// fields as in WeCom's documentation (developer.work.weixin.qq.com, 客户联系 chapter).
import { z } from 'zod';
import type { GroupSendOutcome } from '../../../src/domain/wecom-contacts.ts';
import type { WecomClient } from '../client.ts';
import { WecomApiError, WecomProtocolError } from '../errors.ts';
import { TransportError } from '../transport.ts';

const Ok = z.object({});
const ContactWay = z.object({ config_id: z.string().min(1), qr_code: z.string().min(1) });
const Tag = z.object({ id: z.string().min(1), name: z.string() });
const TagGroup = z.object({ group_id: z.string().optional(), group_name: z.string(), tag: z.array(Tag).default([]) });
const TagList = z.object({ tag_group: z.array(TagGroup).default([]) });
const AddedTags = z.object({ tag_group: TagGroup });
const MsgTemplate = z.object({ msgid: z.string().min(1), fail_list: z.array(z.string()).default([]) });
const SendResult = z.object({
  next_cursor: z.string().default(''),
  send_list: z.array(z.object({ external_userid: z.string().default(''), status: z.number().int() })).default([]),
});

/** WeCom's send statuses: 0 not sent yet, 1 sent, 2 not a friend (any more), 3 already got another 群发 today. */
const outcomes: Record<number, GroupSendOutcome> = { 0: 'waiting', 1: 'sent', 2: 'not_friend', 3: 'already_received' };

/** A WeCom call failed; `sent` says whether WeCom may have acted on it (an answer never came). */
export class ContactApiError extends Error {
  constructor(
    message: string,
    readonly mayHaveActed: boolean,
  ) {
    super(message);
    this.name = 'ContactApiError';
  }
}

export class ContactApi {
  constructor(private readonly client: WecomClient) {}

  /** The welcome for a new contact, with the event's WelcomeCode (valid 20 seconds, once). */
  async sendWelcome(welcomeCode: string, text: string): Promise<void> {
    await this.call(
      '/cgi-bin/externalcontact/send_welcome_msg',
      { welcome_code: welcomeCode, text: { content: text } },
      Ok,
    );
  }

  /** A 渠道活码: a QR code that adds one of `staffUserIds` and reports `state` in the add event. */
  async addContactWay(input: { state: string; staffUserIds: string[]; remark: string }) {
    const way = await this.call(
      '/cgi-bin/externalcontact/add_contact_way',
      {
        type: input.staffUserIds.length > 1 ? 2 : 1,
        scene: 2,
        remark: input.remark.slice(0, 30),
        skip_verify: true,
        state: input.state,
        user: input.staffUserIds,
      },
      ContactWay,
    );
    return { configId: way.config_id, qrCode: way.qr_code };
  }

  /** The corp tag ids for `names` in `groupName`, created where missing. */
  async ensureTags(groupName: string, names: string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const list = await this.call('/cgi-bin/externalcontact/get_corp_tag_list', {}, TagList);
    for (const group of list.tag_group) {
      if (group.group_name !== groupName) continue;
      for (const tag of group.tag) if (names.includes(tag.name)) ids.set(tag.name, tag.id);
    }
    const missing = names.filter((name) => !ids.has(name));
    if (missing.length > 0) {
      const added = await this.call(
        '/cgi-bin/externalcontact/add_corp_tag',
        { group_name: groupName, tag: missing.map((name) => ({ name })) },
        AddedTags,
      );
      for (const tag of added.tag_group.tag) ids.set(tag.name, tag.id);
    }
    return ids;
  }

  async markTags(input: { staffUserId: string; externalUserId: string; tagIds: string[] }): Promise<void> {
    await this.call(
      '/cgi-bin/externalcontact/mark_tag',
      { userid: input.staffUserId, external_userid: input.externalUserId, add_tag: input.tagIds },
      Ok,
    );
  }

  /** A 群发 task for one staff member; WeCom lists the contacts it refused in `failed`. */
  async addMsgTemplate(input: { sender: string; externalUserIds: string[]; text: string }) {
    const task = await this.call(
      '/cgi-bin/externalcontact/add_msg_template',
      {
        chat_type: 'single',
        sender: input.sender,
        external_userid: input.externalUserIds,
        text: { content: input.text },
      },
      MsgTemplate,
    );
    return { msgid: task.msgid, failed: task.fail_list };
  }

  /** Every contact's result in the task `msgid` of `staffUserId` (pages followed). */
  async groupSendResult(msgid: string, staffUserId: string) {
    const results: Array<{ externalUserId: string; outcome: GroupSendOutcome }> = [];
    let cursor = '';
    for (let page = 0; page < 100; page++) {
      const answer = await this.call(
        '/cgi-bin/externalcontact/get_groupmsg_send_result',
        { msgid, userid: staffUserId, limit: 1000, ...(cursor ? { cursor } : {}) },
        SendResult,
      );
      for (const item of answer.send_list) {
        results.push({ externalUserId: item.external_userid, outcome: outcomes[item.status] ?? 'waiting' });
      }
      cursor = answer.next_cursor;
      if (!cursor) break;
    }
    return results;
  }

  /** One call; every failure becomes a ContactApiError whose message names the path and errcode only. */
  private async call<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    try {
      return await this.client.post(path, body, schema);
    } catch (error) {
      if (error instanceof WecomApiError) throw new ContactApiError(error.message, false);
      if (error instanceof WecomProtocolError) throw new ContactApiError(error.message, error.status >= 500);
      if (error instanceof TransportError) throw new ContactApiError(error.message, error.written);
      throw error;
    }
  }
}
