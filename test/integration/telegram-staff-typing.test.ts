// Staff typing on Telegram (issue 16): while the staff member holding a Telegram conversation types
// in the console, the customer's chat shows "typing…" (sendChatAction, against the fake Bot API), at
// most once per 4 s per chat; "stopped" sends nothing, and nothing is sent for a web chat
// conversation. Through the console route, on both databases, with the grammY and Telegraf variants.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TYPING_SPACING_MS } from '../../src/core/staff-typing.ts';
import { type TelegramHarness, telegramHarness, userOf } from '../contract/telegram-harness.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

for (const variant of ['grammy', 'telegraf'] as const) {
  describeEachProvider(`staff typing on Telegram (${variant})`, (provider) => {
    let h: TelegramHarness;
    beforeAll(async () => {
      h = await telegramHarness(provider, variant);
      await addStaff(h.test, 'mei');
    });
    afterAll(async () => {
      await h?.close();
    });

    const chatActions = () => h.fake.calls.filter((call) => call.method === 'sendChatAction');

    it('shows "typing…" in the customer\'s chat, at most once per 4 s, and never for "stopped"', async () => {
      await h.message({ user: 1, text: '人工' });
      await h.flush();
      const chatId = String(userOf(1).id);
      const chat = await h.app.store.repos.chats.find('telegram', chatId);
      const id = (await h.app.store.repos.desk.pendingQueue(10)).find((c) => c.chatId === chat?.id)?.id ?? -1;
      const mei = await loginAs(h.test, 'mei');
      expect((await mei('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
      const typing = (value: boolean) => mei('POST', `/api/console/conversations/${id}/typing`, { typing: value });

      expect((await typing(true)).status).toBe(200);
      await expect.poll(() => chatActions().length, { timeout: 10_000 }).toBe(1);
      expect(chatActions()[0]?.payload).toMatchObject({ action: 'typing' });
      expect(String(chatActions()[0]?.payload.chat_id)).toBe(chatId);

      // The console repeats its signal while the agent types; the chat is not told again within 4 s.
      expect((await typing(true)).status).toBe(200);
      expect((await typing(false)).status).toBe(200);
      h.test.clock.advance(TYPING_SPACING_MS);
      expect((await typing(true)).status).toBe(200);
      h.test.clock.advance(TYPING_SPACING_MS);
      expect((await typing(true)).status).toBe(200);
      await expect.poll(() => chatActions().length, { timeout: 10_000 }).toBe(2);
      // The signals before it were answered and sent nothing more.
      h.test.clock.advance(TYPING_SPACING_MS * 2);
      await mei('POST', `/api/console/conversations/${id}/reply`, { text: '您好，我来看看' });
      await h.flush();
      expect(chatActions()).toHaveLength(2);
    });

    it('a web chat conversation sends nothing to Telegram', async () => {
      const before = chatActions().length;
      const asked = await h.test.say('v-tg-typing', '人工');
      const id = asked.conversation?.id ?? -1;
      const mei = await loginAs(h.test, 'mei');
      expect((await mei('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
      h.test.clock.advance(TYPING_SPACING_MS * 3);
      expect((await mei('POST', `/api/console/conversations/${id}/typing`, { typing: true })).status).toBe(200);
      await mei('POST', `/api/console/conversations/${id}/reply`, { text: 'hi' });
      expect(chatActions()).toHaveLength(before);
    });
  });
}
