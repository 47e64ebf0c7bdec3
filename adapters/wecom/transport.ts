// One HTTP exchange with the WeCom API on node:http(s), reporting on failure whether the request
// had been handed to the network in full. That is what decides a failed send: a request that never
// left may be retried; one that did may have been delivered and must never be sent twice.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpExchange {
  method: 'GET' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A network-level failure. Its message names the path only: the query holds the access token. */
export class TransportError extends Error {
  constructor(
    message: string,
    /** True once the whole request was written: WeCom may have acted on it. */
    readonly written: boolean,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export function exchange(options: HttpExchange): Promise<HttpResponse> {
  const { method, url, body } = options;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let written = false;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      outcome();
    };
    const fail = (code: string | undefined, detail: string) =>
      settle(() => {
        request.destroy();
        reject(new TransportError(`${method} ${url.pathname}: ${detail}`, written, code));
      });
    const request = send(url, {
      method,
      headers: { ...options.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    });
    // One deadline for the whole exchange (connect, upload, response), not an idle timeout.
    const deadline = setTimeout(() => fail('ETIMEDOUT', `no answer within ${options.timeoutMs} ms`), options.timeoutMs);
    request.on('finish', () => {
      written = true;
    });
    request.on('error', (error) => {
      const code = errorCode(error);
      fail(code, code ?? 'network error');
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxResponseBytes)
          fail('ERESPONSETOOLARGE', `response over ${options.maxResponseBytes} bytes`);
        else chunks.push(chunk);
      });
      response.on('error', (error) => {
        const code = errorCode(error);
        fail(code, code ?? 'response failed');
      });
      response.on('close', () => {
        if (!response.complete) fail('ECONNRESET', 'connection closed before the response ended');
      });
      response.on('end', () =>
        settle(() =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        ),
      );
    });
    request.end(body);
  });
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
