// The service survey after staff resolve a chat, through the paths production uses: the console's
// resolve route and the Telegram staff group's /resolve, then the survey job's tick and the outbox.
// The resolve runs in a transaction that raises the 'conversation' event; its listener must run
// after the commit, in its own unit of work (it used to run on the closed transaction: Prisma P2028).
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TelegramStaffGroup } from '../../adapters/telegram/staff-group.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { type FakeBotApi, startFakeBotApi } from '../helpers/fake-bot-api.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

const GROUP = -1009876;
const STAFF_TG = 777;
const CSAT_QUESTION = '你对本次客服服务满意吗？';

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition never became true');
}

describeEachProvider('CSAT survey after staff resolve a chat', (provider) => {
  let t: TestApp;
  let errors: string[];
  beforeEach(async () => {
    errors = [];
    // Error lines the app logs (the bug showed only as "scheduling the service survey failed").
    const log = createLogger('error', {
      write(line: string) {
        errors.push(line);
      },
    });
    t = await createTestApp({ provider, app: { log } });
  });
  afterEach(async () => {
    await t.close();
  });

  /** What the webchat customer sees in their thread after the survey job's tick. */
  const customerSees = async (visitorId: string) => {
    await t.app.jobs.surveys.runOnce(t.clock.now());
    await t.app.sender.drainChannel('webchat');
    return (await t.thread(visitorId)).messages.filter((m) => m.from !== 'customer').map((m) => m.text);
  };

  it('the web console resolve sends the customer the CSAT question, once', async () => {
    await addStaff(t, 'alice');
    const alice = await loginAs(t, 'alice');
    const escalated = await t.say('v-csat-web', '人工');
    const id = escalated.conversation?.id ?? 0;
    expect((await alice('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
    expect((await alice('POST', `/api/console/conversations/${id}/reply`, { text: '您好，我来帮您' })).status).toBe(
      200,
    );
    expect((await alice('POST', `/api/console/conversations/${id}/resolve`)).status).toBe(200);

    const survey = await eventually(async () => (await scheduledSurvey(t, id)) ?? undefined);
    expect(survey.status).toBe('scheduled');
    const texts = await customerSees('v-csat-web');
    expect(texts.filter((text) => text.includes(CSAT_QUESTION))).toHaveLength(1);
    // A second tick sends nothing more.
    expect((await customerSees('v-csat-web')).filter((text) => text.includes(CSAT_QUESTION))).toHaveLength(1);
    expect(errors.join('\n')).not.toContain('survey');
  });

  it('the Telegram staff group /resolve sends the customer the CSAT question', async () => {
    const fake: FakeBotApi = await startFakeBotApi({ forum: true });
    try {
      const bot = new Bot('123:TEST', { client: { apiRoot: fake.apiRoot } });
      await bot.init();
      new TelegramStaffGroup({
        bot,
        chatId: String(GROUP),
        desk: t.app.ports.telegramStaff,
      }).attach();
      await addStaff(t, 'tgagent', { telegramUserId: String(STAFF_TG) });
      const escalated = await t.say('v-csat-tg', '我要投诉，东西坏了');
      const id = escalated.conversation?.id ?? 0;
      const header = await eventually(() => fake.sent().find((m) => m.text.startsWith(`🆕 #${id}`)));
      let updateId = 1;
      const command = (text: string): Update => ({
        update_id: updateId++,
        message: {
          message_id: 1000 + updateId,
          date: 0,
          chat: { id: GROUP, type: 'supergroup', title: 'Staff', is_forum: true },
          from: { id: STAFF_TG, is_bot: false, first_name: 'Agent' },
          text,
          ...(header.threadId ? { message_thread_id: header.threadId, is_topic_message: true } : {}),
        },
      });
      await bot.handleUpdate(command('/take'));
      await bot.handleUpdate(command('已为您登记换货'));
      await bot.handleUpdate(command('/resolve'));
      expect((await t.app.store.repos.conversations.get(id))?.status).toBe('resolved');

      await eventually(async () => (await scheduledSurvey(t, id)) ?? undefined);
      const texts = await customerSees('v-csat-tg');
      expect(texts.filter((text) => text.includes(CSAT_QUESTION))).toHaveLength(1);
      expect(errors.join('\n')).not.toContain('survey');
    } finally {
      await fake.close();
    }
  });
});

/** The service survey the resolve of conversation `id` scheduled (the listener runs after the commit). */
function scheduledSurvey(t: TestApp, id: number) {
  return t.app.store.repos.surveys.byTrigger(`conversation:${id}:csat`);
}
