// Authenticated calls to the WeCom server API (`<apiRoot>/cgi-bin/...?access_token=…`): JSON
// requests, multipart media uploads and binary downloads. The access token is cached
// (token.ts) and refreshed once when WeCom answers 40014/42001; the secret and the token travel
// only in the query string and appear in no error message (transport errors name the path only,
// WeCom's errmsg is scrubbed of both).
import { z } from 'zod';
import type { Clock } from '../../src/kernel/clock.ts';
import { TOKEN_ERRCODES, WecomApiError, WecomProtocolError } from './errors.ts';
import { AccessTokenCache } from './token.ts';
import { exchange, type HttpResponse } from './transport.ts';

export interface WecomClientOptions {
  /** e.g. https://qyapi.weixin.qq.com (no trailing slash); tests use a local fake. */
  apiRoot: string;
  corpId: string;
  /** The secret of the 微信客服 (or 客户联系) application this client acts as. */
  secret: string;
  clock: Clock;
  timeoutMs?: number;
  mediaTimeoutMs?: number;
}

export interface BinaryFile {
  data: Buffer;
  mime: string;
  name?: string;
}

const JSON_LIMIT_BYTES = 2 * 1024 * 1024;
/** The largest media WeCom stores (files, 20 MB) plus headroom. */
const MEDIA_LIMIT_BYTES = 25 * 1024 * 1024;

const Envelope = z.object({ errcode: z.number().int().optional(), errmsg: z.string().optional() });
const IssuedToken = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

export class WecomClient {
  private readonly tokens: AccessTokenCache;
  /** The last tokens issued, scrubbed from WeCom's error messages. */
  private readonly recentTokens: string[] = [];

  constructor(private readonly options: WecomClientOptions) {
    this.tokens = new AccessTokenCache(() => this.issueToken(), options.clock);
  }

  /** POST a JSON body to an authenticated endpoint and parse the answer with `schema`. */
  async post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    const response = await this.authorized((token) =>
      this.send({
        method: 'POST',
        url: this.url(path, { access_token: token }),
        headers: { 'content-type': 'application/json' },
        body: payload,
      }),
    );
    return this.parse(path, response, schema);
  }

  /** POST multipart/form-data (media upload); `query` is added beside the access token. */
  async postForm<S extends z.ZodType>(
    path: string,
    query: Record<string, string>,
    form: { contentType: string; body: Buffer },
    schema: S,
  ): Promise<z.infer<S>> {
    const response = await this.authorized((token) =>
      this.send(
        {
          method: 'POST',
          url: this.url(path, { ...query, access_token: token }),
          headers: { 'content-type': form.contentType },
          body: form.body,
        },
        { timeoutMs: this.options.mediaTimeoutMs ?? 60_000 },
      ),
    );
    return this.parse(path, response, schema);
  }

  /** GET a file (media download); WeCom answers JSON instead when it refuses. */
  async getFile(path: string, query: Record<string, string>): Promise<BinaryFile> {
    const response = await this.authorized((token) =>
      this.send(
        { method: 'GET', url: this.url(path, { ...query, access_token: token }) },
        { timeoutMs: this.options.mediaTimeoutMs ?? 60_000, maxResponseBytes: MEDIA_LIMIT_BYTES },
      ),
    );
    const mime = String(response.headers['content-type'] ?? 'application/octet-stream');
    if (response.status !== 200 || isJson(response)) {
      this.parse(path, response, Envelope);
      throw new WecomProtocolError(path, response.status, 'expected a file');
    }
    const name = filenameOf(response.headers['content-disposition']);
    return {
      data: response.body,
      mime: mime.split(';')[0]?.trim() || 'application/octet-stream',
      ...(name ? { name } : {}),
    };
  }

  /** Runs `call` with the cached token; on 40014/42001 drops it and runs once more with a fresh one. */
  private async authorized(call: (token: string) => Promise<HttpResponse>): Promise<HttpResponse> {
    const token = await this.tokens.get();
    const response = await call(token);
    const errcode = errcodeOf(response);
    if (errcode === undefined || !TOKEN_ERRCODES.has(errcode)) return response;
    this.tokens.invalidate(token);
    return call(await this.tokens.get());
  }

  private async issueToken(): Promise<{ token: string; expiresInSec: number }> {
    const path = '/cgi-bin/gettoken';
    const response = await this.send({
      method: 'GET',
      url: this.url(path, { corpid: this.options.corpId, corpsecret: this.options.secret }),
    });
    const issued = this.parse(path, response, IssuedToken);
    this.recentTokens.unshift(issued.access_token);
    this.recentTokens.length = Math.min(this.recentTokens.length, 3);
    return { token: issued.access_token, expiresInSec: issued.expires_in };
  }

  private send(
    request: { method: 'GET' | 'POST'; url: URL; headers?: Record<string, string>; body?: Buffer },
    limits: { timeoutMs?: number; maxResponseBytes?: number } = {},
  ): Promise<HttpResponse> {
    return exchange({
      ...request,
      timeoutMs: limits.timeoutMs ?? this.options.timeoutMs ?? 10_000,
      maxResponseBytes: limits.maxResponseBytes ?? JSON_LIMIT_BYTES,
    });
  }

  private url(path: string, query: Record<string, string>): URL {
    const url = new URL(`${this.options.apiRoot}${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url;
  }

  /** The JSON answer: WecomApiError for a non-zero errcode, WecomProtocolError for anything unexpected. */
  private parse<S extends z.ZodType>(path: string, response: HttpResponse, schema: S): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new WecomProtocolError(path, response.status, 'answer is not JSON');
    }
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) throw new WecomProtocolError(path, response.status, 'answer is not a WeCom envelope');
    const { errcode = 0, errmsg = '' } = envelope.data;
    if (errcode !== 0) throw new WecomApiError(path, errcode, this.scrub(errmsg));
    if (response.status !== 200) throw new WecomProtocolError(path, response.status, 'unexpected HTTP status');
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || '(root)';
      throw new WecomProtocolError(path, response.status, `unexpected answer at ${where}`);
    }
    return parsed.data;
  }

  /** WeCom's errmsg carries no credentials today; make sure it cannot tomorrow. */
  private scrub(text: string): string {
    let out = text.replace(/access_token=[^&\s]*/g, 'access_token=[redacted]');
    for (const secret of [this.options.secret, ...this.recentTokens]) out = out.replaceAll(secret, '[redacted]');
    return out.slice(0, 300);
  }
}

function isJson(response: HttpResponse): boolean {
  const type = String(response.headers['content-type'] ?? '');
  return /json|text\/plain/i.test(type) || response.body.subarray(0, 1).toString() === '{';
}

function errcodeOf(response: HttpResponse): number | undefined {
  if (!isJson(response)) return undefined;
  try {
    const envelope = Envelope.safeParse(JSON.parse(response.body.toString('utf8')));
    return envelope.success ? envelope.data.errcode : undefined;
  } catch {
    return undefined;
  }
}

function filenameOf(disposition: string | undefined): string | undefined {
  if (!disposition) return undefined;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
  }
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1];
}
