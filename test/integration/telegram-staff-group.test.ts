// The Telegram staff group against a local fake Bot API: topics per conversation (or header
// messages), staff replies reaching the webchat customer, commands, and non-staff refused + audited.
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramStaffGroup } from '../../adapters/telegram/staff-group.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { type FakeBotApi, startFakeBotApi } from '../helpers/fake-bot-api.ts';
import { addStaff } from '../helpers/staff.ts';

const GROUP = -1001234;
const STAFF_TG = 501;
const STRANGER_TG = 666;

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition never became true');
}

for (const forum of [true, false]) {
  describe(`Telegram staff group (${forum ? 'forum topics' : 'header messages'})`, () => {
    let t: TestApp;
    let fake: FakeBotApi;
    let bot: Bot;
    let updateId = 1;
    let messageId = 1;
    beforeEach(async () => {
      t = await createTestApp();
      fake = await startFakeBotApi({ forum });
      bot = new Bot('123:TEST', { client: { apiRoot: fake.apiRoot } });
      await bot.init();
      new TelegramStaffGroup({
        bot,
        chatId: String(GROUP),
        desk: t.app.ports.telegramStaff,
      }).attach();
      await addStaff(t, 'tgagent', { telegramUserId: String(STAFF_TG) });
    });
    afterEach(async () => {
      await t.close();
      await fake.close();
    });

    /** A group message from `from`, in the conversation's topic or as a reply to its header. */
    const groupMessage = (from: number, text: string, where: { threadId?: number; replyTo?: number }): Update => ({
      update_id: updateId++,
      message: {
        message_id: messageId++,
        date: 0,
        chat: { id: GROUP, type: 'supergroup', title: 'Staff', ...(forum ? { is_forum: true } : {}) },
        from: { id: from, is_bot: false, first_name: from === STAFF_TG ? 'Agent' : 'Stranger' },
        text,
        ...(where.threadId ? { message_thread_id: where.threadId, is_topic_message: true } : {}),
        ...(where.replyTo
          ? {
              reply_to_message: {
                message_id: where.replyTo,
                date: 0,
                chat: { id: GROUP, type: 'supergroup', title: 'Staff' },
                reply_to_message: undefined,
              },
            }
          : {}),
      },
    });

    it('relays the escalation, refuses a stranger, lets staff take, reply, note and resolve', async () => {
      const escalated = await t.say('tg-v', '我要投诉，东西坏了');
      const conversationId = escalated.conversation?.id ?? 0;
      const header = await eventually(() => fake.sent().find((m) => m.text.startsWith(`🆕 #${conversationId}`)));
      if (forum) {
        expect(fake.calls.map((c) => c.method)).toContain('createForumTopic');
        expect(header.threadId).toBeDefined();
      }
      const where = forum ? { threadId: header.threadId } : { replyTo: header.messageId };

      await t.say('tg-v', '快点处理！');
      await eventually(() => fake.sent().find((m) => m.text.includes('快点处理')));

      await bot.handleUpdate(groupMessage(STRANGER_TG, '/take', where));
      expect(fake.sent().at(-1)?.text).toContain('只有登记的客服');
      expect((await t.app.store.repos.conversations.get(conversationId))?.status).toBe('pending');
      const refused = await t.app.store.repos.audit.recent(5, 'telegram.staff_refused');
      expect(refused[0]).toMatchObject({ actorId: `telegram:${STRANGER_TG}`, entityId: String(conversationId) });

      await bot.handleUpdate(groupMessage(STAFF_TG, '/take', where));
      const staff = await t.app.store.repos.staff.byTelegramUser(String(STAFF_TG));
      expect(await t.app.store.repos.conversations.get(conversationId)).toMatchObject({
        status: 'open',
        assigneeId: staff?.id,
      });

      await bot.handleUpdate(groupMessage(STAFF_TG, '抱歉！马上给您换新的', where));
      await t.app.sender.drainChannel('webchat');
      const staffTexts = (await t.thread('tg-v')).messages.filter((m) => m.from === 'staff').map((m) => m.text);
      expect(staffTexts).toEqual(['抱歉！马上给您换新的']);

      await bot.handleUpdate(groupMessage(STAFF_TG, '/note 已通知仓库', where));
      const notes = (await t.app.store.repos.interactions.forConversation(conversationId)).filter(
        (i) => i.kind === 'note',
      );
      expect(notes.map((n) => n.text)).toEqual(['已通知仓库']);

      await bot.handleUpdate(groupMessage(STAFF_TG, '/profile', where));
      expect(fake.sent().at(-1)?.text).toContain('normal');

      await bot.handleUpdate(groupMessage(STAFF_TG, '/resolve', where));
      expect((await t.app.store.repos.conversations.get(conversationId))?.status).toBe('resolved');
      const audit = (await t.app.store.repos.audit.forEntity('conversation', String(conversationId))).map(
        (a) => a.action,
      );
      expect(audit).toEqual(
        expect.arrayContaining([
          'conversation.take',
          'conversation.reply',
          'conversation.note',
          'conversation.resolve',
        ]),
      );
    });

    it('mirrors web-console actions into the group thread', async () => {
      const staff = await t.app.store.repos.staff.byTelegramUser(String(STAFF_TG));
      const escalated = await t.say('tg-w', '人工');
      const id = escalated.conversation?.id ?? 0;
      await eventually(() => fake.sent().find((m) => m.text.startsWith(`🆕 #${id}`)));
      const user = { staffId: staff?.id ?? 0, role: 'agent' as const, name: 'TGAGENT', source: 'web' };
      await t.app.services.desk.reply(user, id, '网页端回复');
      expect(fake.sent().some((m) => m.text.includes('TGAGENT') && m.text.includes('网页端回复'))).toBe(true);
    });
  });
}
