// The 客户联系 (external contact) side of the fake WeCom server: the contact secret, friendships
// between staff and customers, change_external_contact callbacks sealed with the contact keys,
// welcome codes usable once within 20 seconds, 渠道活码 (add_contact_way), corp tags
// (get_corp_tag_list, add_corp_tag, mark_tag: only on a live friendship) and 群发 tasks
// (add_msg_template, then staff confirm in "their app" with `confirmTask`, get_groupmsg_send_result).
import { randomBytes } from 'node:crypto';
import { type SealedCallback, sealCallback } from '../../adapters/wecom/callback.ts';
import { WecomCrypto } from '../../adapters/wecom/crypto.ts';
import { buildXml } from '../../adapters/wecom/xml.ts';
import type { Clock } from '../../src/kernel/clock.ts';
import { type FakeWecom, startFakeWecom } from './fake-wecom.ts';

export const CONTACT_SECRET = 'contact-secret-for-tests';
export const CONTACT_TOKEN = 'ContactToken123';
export const CONTACT_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

export interface FakeContactWecom {
  wecom: FakeWecom;
  /** The env that points the app at this fake with 客户联系 on. */
  env: Record<string, string>;
  welcomes: Array<{ code: string; text: string }>;
  contactWays: Array<{ configId: string; state: string; user: string[]; qrCode: string }>;
  tagGroups: Array<{ groupId: string; groupName: string; tags: Array<{ id: string; name: string }> }>;
  marks: Array<{ userid: string; externalUserId: string; tagIds: string[] }>;
  tasks: Array<{ msgid: string; sender: string; text: string; results: Map<string, number> }>;
  /** A customer adds `staffUserId` (scanning a code with `state`): the sealed callback WeCom POSTs. */
  added(externalUserId: string, staffUserId: string, options?: { state?: string; welcome?: boolean }): SealedCallback;
  /** `del_external_contact` (staff deleted the customer) or `del_follow_user` (the customer deleted staff). */
  deleted(externalUserId: string, staffUserId: string, by: 'staff' | 'customer'): SealedCallback;
  /** The staff member confirms a 群发 task in the WeCom app: friends get it (1), others fail (2). */
  confirmTask(msgid: string, overrides?: Record<string, number>): void;
  close(): Promise<void>;
}

export async function startFakeContactWecom(clock: Clock): Promise<FakeContactWecom> {
  const friends = new Set<string>();
  const codes = new Map<string, { issuedAt: number; used: boolean }>();
  const now = () => clock.now().getTime();
  const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`;
  const pair = (userid: string, external: string) => `${userid}|${external}`;
  const fail = (errcode: number, errmsg: string) => ({ errcode, errmsg });
  const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  /** `text.content` of a message body, or undefined. */
  const content = (value: unknown): string | undefined => {
    if (typeof value !== 'object' || value === null || !('content' in value)) return undefined;
    return typeof value.content === 'string' && value.content ? value.content : undefined;
  };
  const nameOf = (value: unknown): string =>
    typeof value === 'object' && value !== null && 'name' in value ? String(value.name) : '';

  const state: Omit<FakeContactWecom, 'wecom' | 'env' | 'added' | 'deleted' | 'confirmTask' | 'close'> = {
    welcomes: [],
    contactWays: [],
    tagGroups: [],
    marks: [],
    tasks: [],
  };

  const handlers: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    '/cgi-bin/externalcontact/send_welcome_msg': (body) => {
      const code = String(body.welcome_code ?? '');
      const issued = codes.get(code);
      if (!issued || issued.used || now() - issued.issuedAt >= 20_000) return fail(41051, 'invalid welcome_code');
      const text = content(body.text);
      if (!text) return fail(41048, 'no content');
      issued.used = true;
      state.welcomes.push({ code, text });
      return {};
    },
    '/cgi-bin/externalcontact/add_contact_way': (body) => {
      const user = strings(body.user);
      const stateValue = String(body.state ?? '');
      if (user.length === 0) return fail(40058, 'user required');
      if (stateValue.length > 30) return fail(40058, 'state too long');
      if (body.scene !== 2 || ![1, 2].includes(Number(body.type))) return fail(40058, 'invalid type or scene');
      if (Number(body.type) === 1 && user.length !== 1) return fail(40058, 'single type takes one user');
      const configId = id('cfg');
      const qrCode = `https://wework.qpic.cn/wwpic/${configId}/0`;
      state.contactWays.push({ configId, state: stateValue, user, qrCode });
      return { config_id: configId, qr_code: qrCode };
    },
    '/cgi-bin/externalcontact/get_corp_tag_list': () => ({
      tag_group: state.tagGroups.map((g) => ({
        group_id: g.groupId,
        group_name: g.groupName,
        tag: g.tags.map((t) => ({ id: t.id, name: t.name, order: 0, deleted: false })),
      })),
    }),
    '/cgi-bin/externalcontact/add_corp_tag': (body) => {
      const groupName = String(body.group_name ?? '');
      const names = Array.isArray(body.tag) ? body.tag.map(nameOf) : [];
      if (!groupName || names.length === 0 || names.some((n) => !n || n.length > 30)) return fail(40068, 'invalid tag');
      let group = state.tagGroups.find((g) => g.groupName === groupName);
      if (!group) {
        group = { groupId: id('grp'), groupName, tags: [] };
        state.tagGroups.push(group);
      }
      const added = names.map((name) => ({ id: id('tag'), name }));
      group.tags.push(...added);
      return { tag_group: { group_id: group.groupId, group_name: groupName, tag: added } };
    },
    '/cgi-bin/externalcontact/mark_tag': (body) => {
      const userid = String(body.userid ?? '');
      const externalUserId = String(body.external_userid ?? '');
      if (!friends.has(pair(userid, externalUserId))) return fail(84061, 'not external contact');
      const tagIds = strings(body.add_tag);
      const known = new Set(state.tagGroups.flatMap((g) => g.tags.map((t) => t.id)));
      if (tagIds.length === 0 || tagIds.some((t) => !known.has(t))) return fail(40068, 'invalid tagid');
      state.marks.push({ userid, externalUserId, tagIds });
      return {};
    },
    '/cgi-bin/externalcontact/add_msg_template': (body) => {
      const sender = String(body.sender ?? '');
      const externals = strings(body.external_userid);
      const text = content(body.text);
      if (body.chat_type !== 'single' || !sender || externals.length === 0 || externals.length > 10_000)
        return fail(40058, 'invalid task');
      if (!text) return fail(41048, 'no content');
      const failList = externals.filter((e) => !friends.has(pair(sender, e)));
      const msgid = id('msg');
      const results = new Map(externals.filter((e) => !failList.includes(e)).map((e) => [e, 0]));
      state.tasks.push({ msgid, sender, text, results });
      return { fail_list: failList, msgid };
    },
    '/cgi-bin/externalcontact/get_groupmsg_send_result': (body) => {
      const task = state.tasks.find((t) => t.msgid === body.msgid);
      if (!task || task.sender !== body.userid) return fail(41063, 'msgid not found');
      return {
        next_cursor: '',
        send_list: [...task.results].map(([external, status]) => ({
          external_userid: external,
          userid: task.sender,
          status,
          ...(status === 1 ? { send_time: Math.floor(now() / 1000) } : {}),
        })),
      };
    },
  };

  const wecom = await startFakeWecom({ clock, extraSecrets: [CONTACT_SECRET], extraHandlers: handlers });
  const crypto = new WecomCrypto({ token: CONTACT_TOKEN, encodingAesKey: CONTACT_AES_KEY, receiveId: wecom.corpId });
  const seal = (fields: Record<string, string | number>) => {
    const createTime = Math.floor(now() / 1000);
    const xml = buildXml({
      ToUserName: wecom.corpId,
      FromUserName: 'sys',
      CreateTime: createTime,
      MsgType: 'event',
      Event: 'change_external_contact',
      ...fields,
    });
    return sealCallback(crypto, xml, { timestamp: String(createTime) });
  };

  return {
    ...state,
    wecom,
    env: {
      WECOM_CORP_ID: wecom.corpId,
      WECOM_CONTACT_SECRET: CONTACT_SECRET,
      WECOM_CONTACT_TOKEN: CONTACT_TOKEN,
      WECOM_CONTACT_ENCODING_AES_KEY: CONTACT_AES_KEY,
      WECOM_API_ROOT: wecom.apiRoot,
    },
    added(externalUserId, staffUserId, options = {}) {
      friends.add(pair(staffUserId, externalUserId));
      const code = options.welcome === false ? undefined : id('welcome');
      if (code) codes.set(code, { issuedAt: now(), used: false });
      return seal({
        ChangeType: 'add_external_contact',
        UserID: staffUserId,
        ExternalUserID: externalUserId,
        ...(options.state ? { State: options.state } : {}),
        ...(code ? { WelcomeCode: code } : {}),
      });
    },
    deleted(externalUserId, staffUserId, by) {
      friends.delete(pair(staffUserId, externalUserId));
      return seal({
        ChangeType: by === 'staff' ? 'del_external_contact' : 'del_follow_user',
        UserID: staffUserId,
        ExternalUserID: externalUserId,
      });
    },
    confirmTask(msgid, overrides = {}) {
      const task = state.tasks.find((t) => t.msgid === msgid);
      if (!task) throw new Error(`no task ${msgid}`);
      for (const external of task.results.keys()) {
        task.results.set(external, overrides[external] ?? (friends.has(pair(task.sender, external)) ? 1 : 2));
      }
    },
    close: () => wecom.close(),
  };
}
