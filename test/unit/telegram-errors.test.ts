// The one classifier for failed Bot API calls, over the errors grammY and Telegraf actually throw:
// their API error classes, and network failures produced by their real HTTP clients against local
// sockets (refused, closed during the TLS handshake, hung up after the request, timed out).
import { createServer, type Server, type Socket } from 'node:net';
import { Api, GrammyError, HttpError } from 'grammy';
import { Telegram, TelegramError } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyTelegramError } from '../../adapters/telegram/errors.ts';

const TOKEN = '123456:SECRET-token_value';

/** node-fetch v2's FetchError as both libraries receive it ("request to … failed, reason: …"). */
function fetchError(reason: string, code?: string, type = 'system'): Error {
  const error = new Error(`request to https://api.telegram.org/bot${TOKEN}/sendMessage failed, reason: ${reason}`);
  error.name = 'FetchError';
  return Object.assign(error, { type, ...(code ? { code, errno: code } : {}) });
}

const grammyApiError = (error_code: number, description: string, retry_after?: number) =>
  new GrammyError(
    'Call to sendMessage failed!',
    { ok: false, error_code, description, ...(retry_after ? { parameters: { retry_after } } : {}) },
    'sendMessage',
    {},
  );
const telegrafApiError = (error_code: number, description: string, retry_after?: number) =>
  new TelegramError({ error_code, description, ...(retry_after ? { parameters: { retry_after } } : {}) });
const grammyNetwork = (cause: unknown) => new HttpError("Network request for 'sendMessage' failed!", cause);

describe('classifyTelegramError', () => {
  it.each([
    ['grammY', grammyApiError],
    ['Telegraf', telegrafApiError],
  ])('%s API errors: 429 waits as asked, 403 and 400 are permanent, 5xx is ambiguous', (_library, apiError) => {
    expect(classifyTelegramError(apiError(429, 'Too Many Requests: retry after 7', 7))).toEqual({
      kind: 'retryable',
      code: 429,
      description: 'Too Many Requests: retry after 7',
      retryAfterMs: 7000,
    });
    expect(classifyTelegramError(apiError(429, 'Too Many Requests'))).toMatchObject({ retryAfterMs: 1000 });
    expect(classifyTelegramError(apiError(403, 'Forbidden: bot was blocked by the user'))).toEqual({
      kind: 'permanent',
      code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    expect(classifyTelegramError(apiError(400, 'Bad Request: chat not found'))).toMatchObject({
      kind: 'permanent',
      code: 400,
    });
    expect(classifyTelegramError(apiError(502, 'Bad Gateway'))).toMatchObject({ kind: 'ambiguous', code: 502 });
  });

  it('a reply that is not Bot API JSON counts by its HTTP status (grammY keeps the response)', () => {
    const proxyPage = grammyNetwork({ status: 502, statusText: 'Bad Gateway' });
    expect(classifyTelegramError(proxyPage)).toMatchObject({ kind: 'ambiguous', code: 502 });
  });

  // Each network failure as grammY wraps it (HttpError.error) and as Telegraf throws it (bare).
  const network: Array<[string, Error, 'retryable' | 'ambiguous']> = [
    ['connection refused', fetchError('connect ECONNREFUSED 149.154.167.220:443', 'ECONNREFUSED'), 'retryable'],
    ['no DNS answer', fetchError('getaddrinfo EAI_AGAIN api.telegram.org', 'EAI_AGAIN'), 'retryable'],
    ['reset while connecting', fetchError('connect ECONNRESET 149.154.167.220:443', 'ECONNRESET'), 'retryable'],
    [
      'reset during the TLS handshake (before the request was written)',
      fetchError('Client network socket disconnected before secure TLS connection was established', 'ECONNRESET'),
      'retryable',
    ],
    ['connect timed out', fetchError('connect ETIMEDOUT 149.154.167.220:443', 'ETIMEDOUT'), 'retryable'],
    ['reset after the request was written', fetchError('socket hang up', 'ECONNRESET'), 'ambiguous'],
    ['reset while reading the answer', fetchError('read ECONNRESET', 'ECONNRESET'), 'ambiguous'],
    ['broken pipe while writing', fetchError('write EPIPE', 'EPIPE'), 'ambiguous'],
    [
      'response timed out',
      fetchError('network timeout at: https://api.telegram.org/…', undefined, 'request-timeout'),
      'ambiguous',
    ],
  ];
  it.each(network)('%s', (_case, error, kind) => {
    expect(classifyTelegramError(grammyNetwork(error)).kind).toBe(kind);
    expect(classifyTelegramError(error).kind).toBe(kind);
  });

  it("grammY's own time-out is ambiguous; an unknown throw is too", () => {
    const timedOut = grammyNetwork(new Error("Request to 'sendMessage' timed out after 30 seconds"));
    expect(classifyTelegramError(timedOut).kind).toBe('ambiguous');
    expect(classifyTelegramError('boom')).toEqual({ kind: 'ambiguous', description: 'boom' });
  });

  it('never puts the bot token in the description', () => {
    const { description } = classifyTelegramError(grammyNetwork(fetchError('socket hang up', 'ECONNRESET')));
    expect(description).not.toContain('SECRET');
    expect(description).toContain('socket hang up');
  });
});

describe('classifyTelegramError on real client failures', () => {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  /** A local TCP server doing `onConnection` with each socket; resolves to its port. */
  async function tcpServer(onConnection: (socket: Socket) => void): Promise<number> {
    const server = createServer((socket) => {
      sockets.add(socket);
      onConnection(socket);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  async function closedPort(): Promise<number> {
    const port = await tcpServer(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    return port;
  }

  /** The error each library throws for one sendMessage to `apiRoot`. */
  async function failures(apiRoot: string, grammyTimeoutSeconds?: number): Promise<unknown[]> {
    const grammy = new Api(TOKEN, {
      apiRoot,
      ...(grammyTimeoutSeconds ? { timeoutSeconds: grammyTimeoutSeconds } : {}),
    });
    const telegraf = new Telegram(TOKEN, { apiRoot });
    const caught: unknown[] = [];
    for (const call of [() => grammy.sendMessage(1, 'hi'), () => telegraf.sendMessage(1, 'hi')]) {
      caught.push(
        await call().then(
          () => new Error('expected a failure'),
          (error: unknown) => error,
        ),
      );
    }
    return caught;
  }

  it('nothing listening: retryable for both libraries', async () => {
    const port = await closedPort();
    for (const error of await failures(`http://127.0.0.1:${port}`)) {
      expect(classifyTelegramError(error).kind).toBe('retryable');
    }
  });

  it('closed before the TLS session was established: retryable for both libraries', async () => {
    const port = await tcpServer((socket) => socket.end());
    for (const error of await failures(`https://127.0.0.1:${port}`)) {
      expect(classifyTelegramError(error).kind).toBe('retryable');
    }
  });

  it('hung up after the request was written: ambiguous for both libraries', async () => {
    const port = await tcpServer((socket) => {
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        // The whole request (headers and the small JSON body) arrived; then the connection drops.
        if (received.includes('\r\n\r\n') && received.trimEnd().endsWith('}')) socket.destroy();
      });
    });
    for (const error of await failures(`http://127.0.0.1:${port}`)) {
      expect(classifyTelegramError(error)).toMatchObject({ kind: 'ambiguous' });
      expect(classifyTelegramError(error).description).not.toContain('SECRET');
    }
  });

  it('no answer within grammY’s time-out: ambiguous', async () => {
    const port = await tcpServer(() => undefined);
    const grammy = new Api(TOKEN, { apiRoot: `http://127.0.0.1:${port}`, timeoutSeconds: 0.2 });
    const error = await grammy.sendMessage(1, 'hi').then(
      () => new Error('expected a failure'),
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect(classifyTelegramError(error).kind).toBe('ambiguous');
  });
});
