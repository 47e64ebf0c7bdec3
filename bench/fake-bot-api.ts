// The broadcast bench's fake Telegram Bot API, in its own process so that arrival times are not
// distorted by the sender's event loop (as a real platform would see them). It answers sendMessage,
// counts messages per chat, and reports on GET /stats. The parent learns the port over IPC.
import { createServer } from 'node:http';

const perChat = new Map<string, number>();
const arrivals: number[] = [];

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    const duplicates = [...perChat.values()].filter((n) => n > 1).length;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ arrivals, duplicates }));
    return;
  }
  let body = '';
  request.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  request.on('end', () => {
    const parsed: unknown = JSON.parse(body);
    const chatId = typeof parsed === 'object' && parsed !== null && 'chat_id' in parsed ? String(parsed.chat_id) : '';
    perChat.set(chatId, (perChat.get(chatId) ?? 0) + 1);
    arrivals.push(Date.now());
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ ok: true, result: { message_id: arrivals.length, chat: { id: chatId } } }));
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
