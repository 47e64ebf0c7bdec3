// The `fetch` grammY calls the Bot API with: one POST over a kept-alive node:http(s) connection,
// the JSON answer read in one piece. grammY's default (node-fetch over the same kind of agent) cost
// about as much CPU per call as the webhook request that caused it (issue 13: every reply, edit and
// button answer is one call); grammY reads nothing of the response but `json()`.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** What grammY passes: method, headers, a JSON string body (or a stream for file uploads), its time-out signal. */
export interface BotApiRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: { aborted: boolean; addEventListener(type: 'abort', listener: () => void): void } | null;
}

export interface BotApiResponse {
  ok: boolean;
  status: number;
  statusText: string;
  json(): Promise<unknown>;
}

/** The answer was not JSON (a proxy's error page): grammY reports it with the HTTP status, which errors.ts classifies. */
class NotBotApiJson extends Error {
  constructor(
    readonly status: number,
    readonly statusText: string,
  ) {
    super(`the Bot API answered ${status} ${statusText} without JSON`);
  }
}

export interface BotApiFetch {
  (url: string, init?: BotApiRequestInit): Promise<BotApiResponse>;
  /** Closes the kept-alive connections (the channel stopped). */
  close(): void;
}

export function botApiFetch(): BotApiFetch {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const call = (url: string, init: BotApiRequestInit = {}): Promise<BotApiResponse> =>
    new Promise((resolve, reject) => {
      const secure = url.startsWith('https:');
      const options = { method: init.method ?? 'GET', headers: init.headers ?? {} };
      const request = secure
        ? httpsRequest(url, { ...options, agent: agents.https })
        : httpRequest(url, { ...options, agent: agents.http });
      const signal = init.signal;
      if (signal) {
        if (signal.aborted) {
          request.destroy(new Error('the Bot API call was aborted'));
        } else {
          signal.addEventListener('abort', () => request.destroy(new Error('the Bot API call was aborted')));
        }
      }
      request.once('error', reject);
      request.once('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', reject);
        response.once('end', () => {
          const status = response.statusCode ?? 0;
          const statusText = response.statusMessage ?? '';
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText,
            json: async () => {
              try {
                return JSON.parse(text);
              } catch {
                throw new NotBotApiJson(status, statusText);
              }
            },
          });
        });
      });
      if (typeof init.body === 'string') request.end(init.body);
      else if (init.body instanceof Readable) init.body.pipe(request);
      else request.end();
    });
  return Object.assign(call, {
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}
