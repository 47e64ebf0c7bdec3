// A fake Telegram Bot API on 127.0.0.1 for tests: `new Bot(token, { client: { apiRoot: fake.apiRoot } })`
// or TELEGRAM_API_ROOT=fake.apiRoot. Records what the bot sends, serves getUpdates for polling,
// and can inject failures (429 with retry_after, 403 for a blocked chat). Reusable by any feature.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** Made by Telegram from the bot's answer to a webhook request, not by a request of the bot's own. */
  viaWebhookAnswer?: boolean;
}

export interface SentMessage {
  chatId: string;
  messageId: number;
  text: string;
  /** Button labels and callback data, row by row flattened. */
  buttons: Array<{ text: string; callback_data: string }>;
  /** True when this came from editMessageText (a menu updated in place). */
  edited: boolean;
  /** sendPhoto: the uploaded file's bytes (`text` is then the caption, or empty). */
  photo?: Buffer;
  payload: Record<string, unknown>;
}

export interface Failure {
  error_code: number;
  description: string;
  retry_after?: number;
}

export interface FakeUser {
  id: number;
  first_name: string;
  username?: string;
}

export const BOT = { id: 777000111, is_bot: true, first_name: 'Guanxi Test', username: 'guanxi_test_bot' } as const;

export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  readonly sent: SentMessage[] = [];
  readonly answeredCallbacks: string[] = [];
  webhook: { url: string; secret_token?: string } | null = null;
  private readonly failures = new Map<string, Failure[]>();
  private readonly blocked = new Set<string>();
  private readonly updates: Array<Record<string, unknown> & { update_id: number }> = [];
  private lastOffset = 0;
  private waiting: Array<() => void> = [];
  private nextMessageId = 1000;
  private nextUpdate = 1;
  private nextCallback = 1;
  /** Downloadable files by path (see addFile). */
  readonly files = new Map<string, Buffer>();

  private constructor(
    private readonly server: Server,
    readonly token: string,
  ) {}

  static async start(token = '123456:TEST-token'): Promise<FakeTelegram> {
    const server = createServer();
    const fake = new FakeTelegram(server, token);
    server.on('request', (req, res) => {
      // File downloads (getFile's file_path under /file/bot<token>/): the bytes given to addFile.
      const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? '');
      if (download) {
        const bytes = download[1] === fake.token ? fake.files.get(download[2] ?? '') : undefined;
        res.writeHead(bytes ? 200 : 404, { 'content-type': 'application/octet-stream' });
        res.end(bytes ?? '');
        return;
      }
      void fake
        .handle(req)
        .catch((error: unknown) => ({ ok: false, error_code: 500, description: `fake telegram: ${String(error)}` }))
        .then((body) => {
          res.writeHead(body.ok ? 200 : Number(body.error_code ?? 400), { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get apiRoot(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('fake telegram is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** The next `times` calls of `method` fail with this Bot API error. */
  failNext(method: string, failure: Failure, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array.from({ length: times }, () => failure)]);
  }

  /** Makes `bytes` downloadable as the file `fileId` (getFile, then /file/bot<token>/<path>). */
  addFile(fileId: string, bytes: Buffer): void {
    this.files.set(`photos/${fileId}`, bytes);
  }

  /** Private sends to this chat fail with 403 (the user never started the bot, or blocked it). */
  blockChat(chatId: string | number): void {
    this.blocked.add(String(chatId));
  }

  sentTo(chatId: string | number): SentMessage[] {
    return this.sent.filter((m) => m.chatId === String(chatId));
  }

  // --- updates -------------------------------------------------------------------------------

  /** Queues an update for getUpdates (polling). */
  push(update: Record<string, unknown> & { update_id: number }): void {
    this.updates.push(update);
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** Resolves once a poller asked for updates after `updateId` (it has processed it). */
  async consumed(updateId: number): Promise<void> {
    while (this.lastOffset <= updateId) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  textUpdate(input: {
    chat: { id: number; type: 'private' | 'group' | 'supergroup'; title?: string };
    from: FakeUser;
    text?: string;
    mention?: boolean;
    extra?: Record<string, unknown>;
  }): Record<string, unknown> & { update_id: number } {
    const mention = `@${BOT.username}`;
    const text = input.mention ? `${mention} ${input.text ?? ''}` : input.text;
    return {
      update_id: this.nextUpdate++,
      message: {
        message_id: this.nextMessageId++,
        date: 1_772_424_000,
        chat: input.chat,
        from: { is_bot: false, ...input.from },
        ...(text !== undefined ? { text } : {}),
        ...(input.mention ? { entities: [{ type: 'mention', offset: 0, length: mention.length }] } : {}),
        ...input.extra,
      },
    };
  }

  /** A press of `button` on a message the bot sent. */
  callbackUpdate(
    message: SentMessage,
    from: FakeUser,
    callbackData: string,
  ): Record<string, unknown> & { update_id: number } {
    return {
      update_id: this.nextUpdate++,
      callback_query: {
        id: `cb${this.nextCallback++}`,
        from: { is_bot: false, ...from },
        chat_instance: 'ci',
        data: callbackData,
        message: {
          message_id: message.messageId,
          date: 1_772_424_000,
          chat: { id: Number(message.chatId), type: Number(message.chatId) < 0 ? 'supergroup' : 'private' },
          from: BOT,
          text: message.text,
          reply_markup: { inline_keyboard: message.buttons.map((b) => [b]) },
        },
      },
    };
  }

  async close(): Promise<void> {
    for (const wake of this.waiting.splice(0)) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- the Bot API -----------------------------------------------------------------------------

  private async handle(req: IncomingMessage): Promise<Record<string, unknown>> {
    const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
    const payload = await readPayload(req);
    if (!match || match[1] !== this.token) return { ok: false, error_code: 401, description: 'Unauthorized' };
    return this.call(match[2] ?? '', payload, false);
  }

  /**
   * What Telegram does with the bot's answer to a webhook request: a JSON object naming a `method`
   * is performed as that Bot API call (its result goes nowhere); anything else is ignored.
   */
  async webhookAnswer(body: unknown): Promise<void> {
    if (typeof body !== 'object' || body === null || !('method' in body) || typeof body.method !== 'string') return;
    const { method, ...payload } = body;
    await this.call(method, payload, true);
  }

  private async call(method: string, payload: Record<string, unknown>, viaWebhookAnswer: boolean) {
    this.calls.push({ method, payload, ...(viaWebhookAnswer ? { viaWebhookAnswer } : {}) });
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      const { retry_after, ...rest } = failure;
      return { ok: false, ...rest, ...(retry_after ? { parameters: { retry_after } } : {}) };
    }
    switch (method) {
      case 'getMe':
        return { ok: true, result: BOT };
      case 'setWebhook':
        this.webhook = {
          url: String(payload.url),
          ...(payload.secret_token ? { secret_token: String(payload.secret_token) } : {}),
        };
        return { ok: true, result: true };
      case 'deleteWebhook':
        this.webhook = null;
        return { ok: true, result: true };
      case 'getUpdates':
        return { ok: true, result: await this.getUpdates(Number(payload.offset ?? 0)) };
      case 'getFile': {
        const fileId = String(payload.file_id);
        const path = `photos/${fileId}`;
        if (!this.files.has(path)) return { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' };
        return { ok: true, result: { file_id: fileId, file_unique_id: fileId, file_path: path } };
      }
      case 'answerCallbackQuery':
        this.answeredCallbacks.push(String(payload.callback_query_id));
        return { ok: true, result: true };
      case 'sendMessage':
      case 'editMessageText':
      case 'sendPhoto':
        return this.record(method, payload);
      default:
        return { ok: true, result: true };
    }
  }

  private record(method: string, payload: Record<string, unknown>): Record<string, unknown> {
    const chatId = String(payload.chat_id);
    if ((method === 'sendMessage' || method === 'sendPhoto') && this.blocked.has(chatId)) {
      return { ok: false, error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" };
    }
    const edited = method === 'editMessageText';
    const messageId = edited ? Number(payload.message_id) : this.nextMessageId++;
    const markup = parseMaybeJson(payload.reply_markup);
    const rows = isKeyboard(markup) ? markup.inline_keyboard : [];
    const photo = method === 'sendPhoto' ? payload.photo : undefined;
    if (method === 'sendPhoto' && !Buffer.isBuffer(photo))
      return { ok: false, error_code: 400, description: 'Bad Request: there is no photo in the request' };
    const message: SentMessage = {
      chatId,
      messageId,
      text: method === 'sendPhoto' ? String(payload.caption ?? '') : String(payload.text),
      buttons: rows.flat(),
      edited,
      payload,
      ...(Buffer.isBuffer(photo) ? { photo } : {}),
    };
    this.sent.push(message);
    return {
      ok: true,
      result: {
        message_id: messageId,
        date: 1_772_424_000,
        chat: { id: Number(chatId), type: 'private' },
        text: message.text,
      },
    };
  }

  private async getUpdates(offset: number): Promise<unknown[]> {
    this.lastOffset = Math.max(this.lastOffset, offset);
    for (const wake of this.waiting.splice(0)) wake();
    const ready = () => this.updates.filter((u) => u.update_id >= offset);
    if (ready().length === 0) {
      // Long polling: hold briefly so pollers do not spin, and answer as soon as something arrives.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return ready();
  }
}

async function readPayload(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const bytes = Buffer.concat(chunks);
  const raw = bytes.toString('utf8');
  if (!raw) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('multipart/form-data')) return readMultipart(bytes, type);
  if (type.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : {};
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

/**
 * A multipart Bot API call (a file upload): text fields as strings, files as Buffers. A field may
 * name a file part with `attach://<part>` (grammY) or be the file itself (Telegraf).
 */
function readMultipart(bytes: Buffer, type: string): Record<string, unknown> {
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (!boundary) return {};
  const files = new Map<string, Buffer>();
  const fields: Record<string, unknown> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let at = bytes.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    const next = bytes.indexOf(delimiter, start);
    if (next < 0) break;
    // Each part: CRLF, headers, a blank line, the body, CRLF before the next delimiter.
    const part = bytes.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const body = part.subarray(split + 4);
    const name = /;\s*name="([^"]*)"/i.exec(head)?.[1];
    if (name !== undefined) {
      // grammY writes `filename=x.png` unquoted, Telegraf quoted.
      if (/filename=/i.test(head)) files.set(name, Buffer.from(body));
      else fields[name] = body.toString('utf8');
    }
    at = next;
  }
  for (const [name, value] of Object.entries(fields)) {
    const attached = typeof value === 'string' && value.startsWith('attach://') ? files.get(value.slice(9)) : undefined;
    if (attached) fields[name] = attached;
  }
  for (const [name, file] of files) if (!(name in fields)) fields[name] = file;
  return fields;
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKeyboard(
  value: unknown,
): value is { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } {
  return isRecord(value) && Array.isArray(value.inline_keyboard);
}
