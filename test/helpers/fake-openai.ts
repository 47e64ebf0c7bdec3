// A local OpenAI-compatible server for tests: answers POST /v1/chat/completions on 127.0.0.1 with
// whatever the test's responder returns for the request (by purpose: draft, classify, extract).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Purpose = 'draft' | 'classify' | 'extract';
export interface FakeRequest {
  purpose: Purpose;
  system: string;
  user: string;
}
/** Returns the assistant message content, or { delayMs } to stall, or { status } for an HTTP error. */
export type Responder = (request: FakeRequest) => string | { delayMs: number } | { status: number };

export interface FakeOpenAI {
  url: string;
  requests: FakeRequest[];
  respond(responder: Responder): void;
  close(): Promise<void>;
}

function purposeOf(system: string): Purpose {
  if (system.startsWith('Classify')) return 'classify';
  if (system.startsWith('Extract')) return 'extract';
  return 'draft';
}

function messagesOf(body: unknown): { system: string; user: string } {
  const out = { system: '', user: '' };
  if (typeof body !== 'object' || body === null || !('messages' in body) || !Array.isArray(body.messages)) return out;
  for (const message of body.messages) {
    if (typeof message !== 'object' || message === null) continue;
    const role = 'role' in message ? message.role : undefined;
    const content = 'content' in message && typeof message.content === 'string' ? message.content : '';
    if (role === 'system') out.system = content;
    if (role === 'user') out.user = content;
  }
  return out;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  let responder: Responder = () => ({ status: 500 });
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    req.on('end', () => {
      const { system, user } = messagesOf(JSON.parse(raw || '{}'));
      const request = { purpose: purposeOf(system), system, user };
      requests.push(request);
      const answer = responder(request);
      const send = (content: string) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chatcmpl-test',
            object: 'chat.completion',
            created: 0,
            model: 'fake',
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
          }),
        );
      };
      if (typeof answer === 'string') send(answer);
      else if ('delayMs' in answer) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.writableEnded && !res.destroyed) send('{"answer":"late","grounded":true}');
        }, answer.delayMs);
        timers.add(timer);
      } else {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'fake failure', type: 'server_error' } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? (address satisfies AddressInfo).port : 0;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    respond(next) {
      responder = next;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
