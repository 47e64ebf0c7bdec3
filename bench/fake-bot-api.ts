// The benches' fake Telegram Bot API, in its own process so that arrival times are not distorted by
// the sender's event loop (as a real platform would see them). It answers the calls Guanxi makes
// (getMe, setWebhook, sendMessage, editMessageText, answerCallbackQuery), counts messages per chat
// and calls per method, and reports on GET /stats. The parent learns the port over IPC.
import { createServer } from 'node:http';

const perChat = new Map<string, number>();
const perMethod = new Map<string, number>();
const arrivals: number[] = [];

function answer(method: string, params: Record<string, unknown>): unknown {
  const chatId = 'chat_id' in params ? String(params.chat_id) : '';
  switch (method) {
    case 'getMe':
      return { id: 999, is_bot: true, first_name: 'Guanxi', username: 'guanxi_bench_bot' };
    case 'setWebhook':
    case 'deleteWebhook':
    case 'answerCallbackQuery':
      return true;
    case 'sendMessage':
    case 'editMessageText':
      perChat.set(chatId, (perChat.get(chatId) ?? 0) + 1);
      arrivals.push(Date.now());
      return { message_id: arrivals.length, date: 0, chat: { id: Number(chatId), type: 'private' }, text: params.text };
    default:
      return undefined;
  }
}

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    const duplicates = [...perChat.values()].filter((n) => n > 1).length;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ arrivals, duplicates, methods: Object.fromEntries(perMethod) }));
    return;
  }
  let body = '';
  request.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  request.on('end', () => {
    const parsed: unknown = body ? JSON.parse(body) : {};
    const params: Record<string, unknown> = typeof parsed === 'object' && parsed !== null ? { ...parsed } : {};
    const method = (request.url ?? '').split('/').pop() ?? '';
    perMethod.set(method, (perMethod.get(method) ?? 0) + 1);
    const result = answer(method, params);
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify(
        result === undefined ? { ok: false, error_code: 404, description: 'Not Found' } : { ok: true, result },
      ),
    );
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
