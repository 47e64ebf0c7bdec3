// A minimal fake Telegram Bot API server on 127.0.0.1 for the staff-group relay: records every call
// and answers the handful of methods the relay uses. Updates are fed with bot.handleUpdate().
import { createServer, type Server } from 'node:http';

export interface BotApiCall {
  method: string;
  params: Record<string, unknown>;
}

export interface FakeBotApi {
  apiRoot: string;
  calls: BotApiCall[];
  sent(): Array<{ text: string; threadId?: number; replyTo?: number; messageId: number }>;
  close(): Promise<void>;
}

export async function startFakeBotApi(options: { forum: boolean }): Promise<FakeBotApi> {
  const calls: BotApiCall[] = [];
  const sent: Array<{ text: string; threadId?: number; replyTo?: number; messageId: number }> = [];
  let nextMessageId = 1000;
  let nextThreadId = 70;
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    request.on('end', () => {
      const method = (request.url ?? '').split('/').pop() ?? '';
      const params: Record<string, unknown> = raw ? JSON.parse(raw) : {};
      calls.push({ method, params });
      const result = answer(method, params);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          result === undefined ? { ok: false, error_code: 404, description: 'Not Found' } : { ok: true, result },
        ),
      );
    });
  });

  const answer = (method: string, params: Record<string, unknown>): unknown => {
    const chat = { id: Number(params.chat_id), type: 'supergroup', title: 'Staff', is_forum: options.forum };
    switch (method) {
      case 'getMe':
        return { id: 999, is_bot: true, first_name: 'Guanxi', username: 'guanxi_test_bot' };
      case 'getChat':
        return chat;
      case 'createForumTopic':
        return { message_thread_id: ++nextThreadId, name: params.name, icon_color: 0 };
      case 'sendMessage': {
        const messageId = ++nextMessageId;
        const threadId = typeof params.message_thread_id === 'number' ? params.message_thread_id : undefined;
        const reply = params.reply_parameters;
        const replyTo =
          typeof reply === 'object' && reply !== null && 'message_id' in reply && typeof reply.message_id === 'number'
            ? reply.message_id
            : undefined;
        sent.push({
          text: String(params.text),
          messageId,
          ...(threadId ? { threadId } : {}),
          ...(replyTo ? { replyTo } : {}),
        });
        return {
          message_id: messageId,
          date: 0,
          chat,
          text: params.text,
          ...(threadId ? { message_thread_id: threadId } : {}),
        };
      }
      default:
        return undefined;
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('fake Bot API did not bind');
  return {
    apiRoot: `http://127.0.0.1:${address.port}`,
    calls,
    sent: () => sent,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
