// A fake WeCom server API on 127.0.0.1 (random port) for tests: WECOM_API_ROOT = fake.apiRoot.
// It keeps WeCom's rules so tests catch what the real platform would refuse: expiring access tokens
// (42001) and revoked ones (40014), sync_msg with cursors over a per-account message log and
// has_more paging, send_msg only within 48 hours of the customer's last message and at most 5 per
// customer message (95002 / 95001), not while a 接待人员 holds the session (95018), session moves
// only along WeCom's table (95016; 95014 for a servicer who is not an active 接待人员; 95013 once
// ended), msgmenu limits
// (95008), welcome codes usable once within 20 seconds, and any answer scriptable per path (an
// errcode such as 45009, a dropped connection, an HTTP error page). `deliverCallback` POSTs an
// encrypted kf_msg_or_event callback to a URL, as WeCom does.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sealCallback } from '../../adapters/wecom/callback.ts';
import { WecomCrypto } from '../../adapters/wecom/crypto.ts';
import { buildXml } from '../../adapters/wecom/xml.ts';
import type { Clock } from '../../src/kernel/clock.ts';

const HOUR_MS = 3_600_000;
const STATE_CODES = ['new', 'bot', 'queue', 'staff', 'ended'] as const;
type StateName = (typeof STATE_CODES)[number];
/**
 * The moves service_state/trans allows from each state (WeCom's 分配客服会话 table): new → bot, pool
 * or a 接待人员; bot → pool or a 接待人员; pool → a 接待人员; 接待人员 → another one or ended.
 */
const ALLOWED_MOVES: Record<StateName, readonly StateName[]> = {
  new: ['bot', 'queue', 'staff'],
  bot: ['queue', 'staff'],
  queue: ['staff'],
  staff: ['staff', 'ended'],
  ended: [],
};

export interface FakeWecomOptions {
  clock: Clock;
  corpId?: string;
  secret?: string;
  /** expires_in of issued access tokens, in seconds (WeCom: 7200). */
  tokenLifetimeSec?: number;
  /** The callback Token / EncodingAESKey the app under test verifies with (for deliverCallback). */
  callback?: { token: string; encodingAesKey: string };
  /** At most this many items per sync_msg page, whatever the limit asked (to exercise has_more). */
  syncPageSize?: number;
  /** 接待人员 userids known to the fake (service_state/trans to staff needs one). */
  servicers?: string[];
  /** Other application secrets gettoken accepts (e.g. the 客户联系 secret). */
  extraSecrets?: string[];
  /** More API paths, answered like the built-in ones (after the access-token check). */
  extraHandlers?: Record<string, (body: Record<string, unknown>) => Record<string, unknown>>;
}

export interface FakeCall {
  path: string;
  /** The access_token the call carried (undefined for gettoken). */
  accessToken: string | undefined;
  query: Record<string, string>;
  body: unknown;
}

/** A scripted answer for the next call of a path: an errcode, a dropped connection, or an HTTP error page. */
export type ScriptedAnswer = { errcode: number; errmsg?: string } | { drop: true } | { status: number; text: string };

export interface SentMessage {
  touser: string;
  open_kfid: string;
  msgid: string;
  msgtype: string;
  body: Record<string, unknown>;
}

export interface UploadedMedia {
  mediaId: string;
  type: string;
  name: string;
  mime: string;
  data: Buffer;
}

interface Token {
  value: string;
  expiresAt: number;
  revoked: boolean;
}

export interface FakeWecom {
  apiRoot: string;
  corpId: string;
  secret: string;
  calls: FakeCall[];
  /** Messages send_msg accepted, in order. */
  sent: SentMessage[];
  /** Messages send_msg_on_event accepted, with the code used. */
  eventSent: Array<{ code: string; msgid: string; body: Record<string, unknown> }>;
  uploads: UploadedMedia[];
  /** Access tokens issued by gettoken, oldest first. */
  issuedTokens(): string[];
  /** Every issued token is now expired (next use answers 42001). */
  expireTokens(): void;
  /** Every issued token is now revoked (next use answers 40014). */
  revokeTokens(): void;
  /** The next calls of `path` get these answers, one per call, before normal handling. */
  script(path: string, ...answers: ScriptedAnswer[]): void;
  /** Appends a raw sync_msg item to the log of its 客服账号 (tests of odd items). */
  push(openKfId: string, item: Record<string, unknown>): void;
  /** The customer writes (origin 3). Text by default; pass a full item body for other types. */
  customerSays(
    openKfId: string,
    externalUserId: string,
    content: string | { msgtype: string; [key: string]: unknown },
  ): string;
  /** A customer opens the chat (enter_session); returns the msgid and the welcome_code issued. */
  enterSession(
    openKfId: string,
    externalUserId: string,
    options?: { scene?: string; sceneParam?: string; welcome?: boolean },
  ): { msgid: string; welcomeCode?: string };
  /** A 接待人员 writes from the WeCom app (origin 5). */
  servicerSays(openKfId: string, externalUserId: string, servicerUserId: string, content: string): string;
  /** An empty page with has_more=1 is answered before the next real page (WeCom does this). */
  injectEmptyPage(): void;
  addCustomer(customer: { external_userid: string; nickname?: string; avatar?: string; unionid?: string }): void;
  addMedia(media: { data: Buffer; mime: string; name?: string }): string;
  serviceState(openKfId: string, externalUserId: string): { state: StateName; servicerUserId?: string };
  setServiceState(openKfId: string, externalUserId: string, state: StateName, servicerUserId?: string): void;
  /** A fresh Token as a kf_msg_or_event callback carries (valid 10 minutes for sync_msg). */
  issueSyncToken(): string;
  /** POSTs an encrypted kf_msg_or_event callback for `openKfId` to `url`, as WeCom does. */
  deliverCallback(url: string, openKfId: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startFakeWecom(options: FakeWecomOptions): Promise<FakeWecom> {
  const { clock } = options;
  const corpId = options.corpId ?? 'ww0123456789abcdef';
  const secret = options.secret ?? 'kf-secret-for-tests';
  const lifetimeSec = options.tokenLifetimeSec ?? 7200;
  const servicers = new Set(options.servicers ?? []);
  const tokens: Token[] = [];
  const scripts = new Map<string, ScriptedAnswer[]>();
  const logs = new Map<string, Array<Record<string, unknown>>>();
  const sendCounts = new Map<string, { since: number; count: number }>();
  const codes = new Map<string, { issuedAt: number; used: boolean; kind: 'welcome' | 'session' }>();
  const syncTokens = new Map<string, number>();
  const customers = new Map<string, Record<string, unknown>>();
  const media = new Map<string, { data: Buffer; mime: string; name?: string }>();
  const states = new Map<string, { state: StateName; servicerUserId?: string }>();
  const calls: FakeCall[] = [];
  const sent: SentMessage[] = [];
  const eventSent: FakeWecom['eventSent'] = [];
  const uploads: UploadedMedia[] = [];
  let emptyPages = 0;
  let sequence = 0;

  const now = () => clock.now().getTime();
  const nextId = (prefix: string) => `${prefix}${++sequence}${randomBytes(3).toString('hex')}`;
  const log = (openKfId: string) => {
    let entries = logs.get(openKfId);
    if (!entries) {
      entries = [];
      logs.set(openKfId, entries);
    }
    return entries;
  };
  const chatKey = (openKfId: string, externalUserId: string) => `${openKfId}|${externalUserId}`;
  const append = (openKfId: string, item: Record<string, unknown>) => {
    log(openKfId).push(item);
    if (item.origin === 3 && typeof item.external_userid === 'string') {
      // A customer message opens a new allowance of five messages for 48 hours.
      const since = typeof item.send_time === 'number' ? item.send_time * 1000 : now();
      sendCounts.set(chatKey(openKfId, item.external_userid), { since, count: 0 });
    }
  };

  const tokenError = (value: string | undefined): { errcode: number; errmsg: string } | undefined => {
    const token = tokens.find((t) => t.value === value);
    if (!token || token.revoked) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (now() >= token.expiresAt) return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  };

  type Answer = { json: Record<string, unknown> } | { file: { data: Buffer; mime: string; name?: string } };
  const ok = (extra: Record<string, unknown> = {}): Answer => ({ json: { errcode: 0, errmsg: 'ok', ...extra } });
  const fail = (errcode: number, errmsg: string): Answer => ({ json: { errcode, errmsg } });

  const handlers: Record<string, (query: Record<string, string>, body: unknown, raw: Buffer, type: string) => Answer> =
    {
      '/cgi-bin/gettoken': (query) => {
        if (query.corpid !== corpId) return fail(40013, 'invalid corpid');
        if (query.corpsecret !== secret && !options.extraSecrets?.includes(query.corpsecret ?? ''))
          return fail(40001, 'invalid credential');
        const value = `fake-token-${randomBytes(12).toString('hex')}`;
        tokens.push({ value, expiresAt: now() + lifetimeSec * 1000, revoked: false });
        return ok({ access_token: value, expires_in: lifetimeSec });
      },
      '/cgi-bin/kf/sync_msg': (_query, body) => {
        const request = record(body);
        if (request.token !== undefined) {
          const issuedAt = syncTokens.get(String(request.token));
          if (issuedAt === undefined || now() - issuedAt >= 10 * 60_000) return fail(95007, 'invalid msg token');
        }
        const openKfId = typeof request.open_kfid === 'string' ? request.open_kfid : undefined;
        const entries = openKfId ? log(openKfId) : [...logs.values()].flat();
        const cursor = typeof request.cursor === 'string' ? request.cursor : '';
        const start = cursor ? Number(/^cur-(\d+)$/.exec(cursor)?.[1] ?? Number.NaN) : 0;
        if (!Number.isInteger(start) || start > entries.length) return fail(40058, 'invalid cursor');
        if (emptyPages > 0) {
          emptyPages--;
          return ok({ next_cursor: cursor || 'cur-0', has_more: 1, msg_list: [] });
        }
        const limit = Math.min(Number(request.limit ?? 1000) || 1000, 1000, options.syncPageSize ?? 1000);
        const page = entries.slice(start, start + limit);
        const end = start + page.length;
        return ok({ next_cursor: `cur-${end}`, has_more: end < entries.length ? 1 : 0, msg_list: page });
      },
      '/cgi-bin/kf/send_msg': (_query, body) => {
        const request = record(body);
        const touser = String(request.touser ?? '');
        const openKfId = String(request.open_kfid ?? '');
        if (!touser || !openKfId) return fail(40058, 'touser and open_kfid are required');
        if (!logs.has(openKfId)) return fail(95004, 'open_kfid not exist');
        const invalid = contentProblem(request);
        if (invalid) return invalid;
        const state = states.get(chatKey(openKfId, touser))?.state ?? 'new';
        if (state === 'queue' || state === 'staff') return fail(95018, 'send msg session status invalid');
        const allowance = sendCounts.get(chatKey(openKfId, touser));
        if (!allowance || now() - allowance.since >= 48 * HOUR_MS) return fail(95002, 'send msg time limit');
        if (allowance.count >= 5) return fail(95001, 'send msg count limit');
        allowance.count++;
        const msgid = typeof request.msgid === 'string' && request.msgid ? request.msgid : nextId('sent');
        sent.push({ touser, open_kfid: openKfId, msgid, msgtype: String(request.msgtype), body: request });
        return ok({ msgid });
      },
      '/cgi-bin/kf/send_msg_on_event': (_query, body) => {
        const request = record(body);
        const code = String(request.code ?? '');
        const issued = codes.get(code);
        if (!issued || issued.used || now() - issued.issuedAt >= 20_000) return fail(40058, 'invalid code');
        const invalid = contentProblem(request);
        if (invalid) return invalid;
        issued.used = true;
        const msgid = typeof request.msgid === 'string' && request.msgid ? request.msgid : nextId('evt');
        eventSent.push({ code, msgid, body: request });
        return ok({ msgid });
      },
      '/cgi-bin/kf/customer/batchget': (_query, body) => {
        const ids = record(body).external_userid_list;
        if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100)
          return fail(40058, 'invalid external_userid_list');
        const found = ids.flatMap((id) => customers.get(String(id)) ?? []);
        const invalid = ids.map(String).filter((id) => !customers.has(id));
        return ok({ customer_list: found, invalid_external_userid: invalid });
      },
      '/cgi-bin/kf/service_state/get': (_query, body) => {
        const request = record(body);
        const current = states.get(chatKey(String(request.open_kfid), String(request.external_userid)));
        return ok({
          service_state: STATE_CODES.indexOf(current?.state ?? 'new'),
          ...(current?.servicerUserId ? { servicer_userid: current.servicerUserId } : {}),
        });
      },
      '/cgi-bin/kf/service_state/trans': (_query, body) => {
        const request = record(body);
        const state = STATE_CODES[Number(request.service_state)];
        if (state === undefined) return fail(40058, 'invalid service_state');
        const servicer = typeof request.servicer_userid === 'string' ? request.servicer_userid : undefined;
        if (state === 'staff' && (!servicer || !servicers.has(servicer))) return fail(95014, 'not a servicer');
        const key = chatKey(String(request.open_kfid), String(request.external_userid));
        const current = states.get(key) ?? { state: 'new' };
        // 已结束: no API change at all until the customer writes again.
        if (current.state === 'ended') return fail(95013, 'session already ended');
        const sameServicer = current.state === 'staff' && state === 'staff' && current.servicerUserId === servicer;
        if (!ALLOWED_MOVES[current.state].includes(state) || sameServicer) {
          return fail(95016, 'service state transition not allowed');
        }
        states.set(key, { state, ...(state === 'staff' && servicer ? { servicerUserId: servicer } : {}) });
        if (state !== 'staff' && state !== 'ended') return ok();
        const msgCode = nextId('msgcode');
        codes.set(msgCode, { issuedAt: now(), used: false, kind: 'session' });
        return ok({ msg_code: msgCode });
      },
      '/cgi-bin/media/upload': (query, _body, raw, type) => {
        const part = parseMultipart(raw, type);
        if (!part) return fail(41005, 'media data missing');
        const mediaId = nextId('media');
        uploads.push({ mediaId, type: query.type ?? '', ...part });
        media.set(mediaId, { data: part.data, mime: part.mime, name: part.name });
        return ok({ type: query.type, media_id: mediaId, created_at: String(Math.floor(now() / 1000)) });
      },
      '/cgi-bin/media/get': (query) => {
        const file = media.get(query.media_id ?? '');
        return file ? { file } : fail(40007, 'invalid media_id');
      },
    };

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const query = Object.fromEntries(url.searchParams);
      const raw = Buffer.concat(chunks);
      const type = String(request.headers['content-type'] ?? '');
      let body: unknown = {};
      if (type.includes('json')) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return json(response, { errcode: 47001, errmsg: 'data format error' });
        }
      }
      const { access_token: accessToken, ...rest } = query;
      calls.push({ path: url.pathname, accessToken, query: rest, body });
      const scripted = scripts.get(url.pathname)?.shift();
      if (scripted) {
        if ('drop' in scripted) return request.socket.destroy();
        if ('status' in scripted) {
          response.writeHead(scripted.status, { 'content-type': 'text/html' });
          return response.end(scripted.text);
        }
        return json(response, { errcode: scripted.errcode, errmsg: scripted.errmsg ?? `scripted ${scripted.errcode}` });
      }
      const extra = options.extraHandlers?.[url.pathname];
      const handler: (typeof handlers)[string] | undefined =
        handlers[url.pathname] ?? (extra ? (_query, parsed) => ({ json: extra(record(parsed)) }) : undefined);
      if (!handler) return json(response, { errcode: 404, errmsg: 'no such API in the fake' });
      if (url.pathname !== '/cgi-bin/gettoken') {
        const refused = tokenError(accessToken);
        if (refused) return json(response, refused);
      }
      const answer = handler(query, body, raw, type);
      if ('file' in answer) {
        response.writeHead(200, {
          'content-type': answer.file.mime,
          ...(answer.file.name
            ? { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(answer.file.name)}` }
            : {}),
        });
        return response.end(answer.file.data);
      }
      json(response, answer.json);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? (address satisfies AddressInfo).port : 0;
  const crypto = options.callback ? new WecomCrypto({ ...options.callback, receiveId: corpId }) : undefined;

  const fake: FakeWecom = {
    apiRoot: `http://127.0.0.1:${port}`,
    corpId,
    secret,
    calls,
    sent,
    eventSent,
    uploads,
    issuedTokens: () => tokens.map((t) => t.value),
    expireTokens() {
      for (const token of tokens) token.expiresAt = Math.min(token.expiresAt, now());
    },
    revokeTokens() {
      for (const token of tokens) token.revoked = true;
    },
    script(path, ...answers) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...answers]);
    },
    push(openKfId, item) {
      append(openKfId, item);
    },
    customerSays(openKfId, externalUserId, content) {
      const msgid = nextId('msg');
      const body = typeof content === 'string' ? { msgtype: 'text', text: { content } } : content;
      // A customer writing into an ended session opens a new one (未处理).
      if (states.get(chatKey(openKfId, externalUserId))?.state === 'ended')
        states.delete(chatKey(openKfId, externalUserId));
      append(openKfId, {
        msgid,
        open_kfid: openKfId,
        external_userid: externalUserId,
        send_time: Math.floor(now() / 1000),
        origin: 3,
        ...body,
      });
      return msgid;
    },
    enterSession(openKfId, externalUserId, enter = {}) {
      const msgid = nextId('evt');
      const welcomeCode = enter.welcome === false ? undefined : nextId('welcome');
      if (welcomeCode) codes.set(welcomeCode, { issuedAt: now(), used: false, kind: 'welcome' });
      append(openKfId, {
        msgid,
        send_time: Math.floor(now() / 1000),
        origin: 4,
        msgtype: 'event',
        event: {
          event_type: 'enter_session',
          open_kfid: openKfId,
          external_userid: externalUserId,
          ...(enter.scene ? { scene: enter.scene } : {}),
          ...(enter.sceneParam ? { scene_param: enter.sceneParam } : {}),
          ...(welcomeCode ? { welcome_code: welcomeCode } : {}),
        },
      });
      return { msgid, ...(welcomeCode ? { welcomeCode } : {}) };
    },
    servicerSays(openKfId, externalUserId, servicerUserId, content) {
      const msgid = nextId('svc');
      append(openKfId, {
        msgid,
        open_kfid: openKfId,
        external_userid: externalUserId,
        servicer_userid: servicerUserId,
        send_time: Math.floor(now() / 1000),
        origin: 5,
        msgtype: 'text',
        text: { content },
      });
      return msgid;
    },
    injectEmptyPage() {
      emptyPages++;
    },
    addCustomer(customer) {
      customers.set(customer.external_userid, { gender: 0, ...customer });
    },
    addMedia(file) {
      const mediaId = nextId('media');
      media.set(mediaId, file);
      return mediaId;
    },
    serviceState(openKfId, externalUserId) {
      return states.get(chatKey(openKfId, externalUserId)) ?? { state: 'new' };
    },
    setServiceState(openKfId, externalUserId, state, servicerUserId) {
      states.set(chatKey(openKfId, externalUserId), { state, ...(servicerUserId ? { servicerUserId } : {}) });
    },
    issueSyncToken() {
      const token = `ENC${randomBytes(16).toString('hex')}`;
      syncTokens.set(token, now());
      return token;
    },
    async deliverCallback(url, openKfId) {
      if (!crypto) throw new Error('startFakeWecom: pass `callback` keys to deliver callbacks');
      const createTime = Math.floor(now() / 1000);
      const event = buildXml({
        ToUserName: corpId,
        CreateTime: createTime,
        MsgType: 'event',
        Event: 'kf_msg_or_event',
        Token: fake.issueSyncToken(),
        OpenKfId: openKfId,
      });
      const sealed = sealCallback(crypto, event, { timestamp: String(createTime) });
      const target = new URL(url);
      for (const [key, value] of Object.entries(sealed.query)) target.searchParams.set(key, value);
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: sealed.body,
      });
      return { status: response.status, text: await response.text() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function json(response: ServerResponse, body: Record<string, unknown>): void {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
}

const bytes = (value: unknown) => Buffer.byteLength(String(value ?? ''), 'utf8');

/** WeCom's limits on a message body, as errcodes. */
function contentProblem(request: Record<string, unknown>): { json: Record<string, unknown> } | undefined {
  const problem = (errcode: number, errmsg: string) => ({ json: { errcode, errmsg } });
  switch (request.msgtype) {
    case 'text': {
      const content = record(request.text).content;
      if (typeof content !== 'string' || content.length === 0) return problem(40058, 'text.content required');
      return bytes(content) > 2048 ? problem(45002, 'content size out of limit') : undefined;
    }
    case 'image':
      return typeof record(request.image).media_id === 'string' ? undefined : problem(40007, 'invalid media_id');
    case 'msgmenu': {
      const menu = record(request.msgmenu);
      const list = Array.isArray(menu.list) ? menu.list : [];
      if (list.length === 0) return problem(40058, 'msgmenu.list required');
      if (list.length > 10) return problem(95008, 'too many menu items');
      if (bytes(menu.head_content) > 1024 || bytes(menu.tail_content) > 1024)
        return problem(40058, 'head/tail too long');
      for (const entry of list) {
        const item = record(entry);
        if (item.type !== 'click') return problem(95009, 'invalid menu item type');
        const click = record(item.click);
        const id = bytes(click.id);
        const content = bytes(click.content);
        if (id < 1 || id > 64 || content < 1 || content > 128) return problem(40058, 'invalid click item');
      }
      return undefined;
    }
    default:
      return problem(40008, 'invalid message type');
  }
}

/** The one part of a media/upload body: its filename, content type and bytes. */
function parseMultipart(raw: Buffer, type: string): { name: string; mime: string; data: Buffer } | undefined {
  const boundary = /boundary=([^;]+)/.exec(type)?.[1];
  if (!boundary) return undefined;
  const start = raw.indexOf(`--${boundary}\r\n`);
  const headerEnd = raw.indexOf('\r\n\r\n', start);
  const end = raw.indexOf(`\r\n--${boundary}--`, headerEnd);
  if (start < 0 || headerEnd < 0 || end < 0) return undefined;
  const headers = raw.subarray(start, headerEnd).toString('utf8');
  if (!/name="media"/.test(headers) || !/filelength=\d+/.test(headers)) return undefined;
  return {
    name: /filename="([^"]*)"/.exec(headers)?.[1] ?? '',
    mime: /Content-Type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream',
    data: raw.subarray(headerEnd + 4, end),
  };
}
