// Global commands every conversation understands: help, talk to staff, marketing opt-out/in,
// language, cancel. Most of them interrupt whatever flow is active.
import { handoffPatterns, humanWords, languagePatterns, requestedLanguage } from '../src/ai/phrases.ts';
import { defineCommand } from '../src/core/flow.ts';
import { type Message, msg } from '../src/kernel/i18n.ts';
import { mainMenuButtons } from './menu.ts';

const text = {
  help: msg(
    '我可以帮你：查商品（直接问，如“这件有M码吗”）、查订单（“我的订单”或发订单号）、售后（“退货”“售后进度”）、积分（“积分”“签到”）。\n常用指令：菜单、人工、我的资料、退订、English',
    'I can help with: product questions (just ask, e.g. "is this in size M?"), orders ("my orders" or an order number), after-sale ("return", "case status"), points ("points", "check in").\nCommands: menu, human, profile, stop, 中文',
  ),
  optedOut: msg(
    '已为你退订营销消息，之后不会再收到活动推送。订单和售后通知不受影响。回复“订阅”可重新订阅。',
    'You are unsubscribed from marketing messages. Order and after-sale notices still arrive. Reply "subscribe" to opt back in.',
  ),
  optedIn: msg(
    '已重新订阅，你会收到店铺的活动和优惠。回复“退订”可随时取消。',
    'Subscribed again: you will get our offers. Reply "stop" any time.',
  ),
  language: msg('好的，我会用中文和你交流。', 'OK, I will speak English with you.'),
  cancelled: msg('已取消。还有什么可以帮你？', 'Cancelled. Anything else I can help with?'),
};

export const helpFlow = defineCommand({
  name: 'help',
  triggers: { commands: ['/help', 'help', '帮助', '?', '？', '怎么用'] },
  async run(ctx) {
    return { type: 'done', replies: [{ text: ctx.t(text.help), buttons: mainMenuButtons(ctx) }] };
  },
});

/** Hand-off: the pipeline's escalate hook (EscalationService) queues the chat and tells the customer what happens next. */
export const humanFlow = defineCommand({
  name: 'human',
  triggers: {
    commands: [...humanWords, '/human'],
    patterns: handoffPatterns,
  },
  async run() {
    return { type: 'handoff', replies: [], reason: 'customer_request' };
  },
});

/** 退订 / 订阅: the customer withdraws or gives marketing consent on the channel they write from. */
function consentCommand(name: string, commands: string[], optIn: boolean, reply: Message) {
  return defineCommand({
    name,
    triggers: { commands },
    async run(ctx) {
      await ctx.services.customers.setMarketingConsent(
        ctx.customer.id,
        optIn,
        { type: 'customer', customerId: ctx.customer.id },
        ctx.inbound.channel,
      );
      return { type: 'done', replies: [{ text: ctx.t(reply) }] };
    },
  });
}

export const unsubscribeFlow = consentCommand(
  'unsubscribe',
  ['退订', 'td', '/stop', 'stop', 'unsubscribe', '取消订阅', '不要再发了'],
  false,
  text.optedOut,
);

export const subscribeFlow = consentCommand(
  'subscribe',
  ['订阅', '/subscribe', 'subscribe', '重新订阅'],
  true,
  text.optedIn,
);

export const languageFlow = defineCommand({
  name: 'language',
  triggers: {
    commands: ['english', '/english', '/en', '中文', '/zh', '/chinese', 'chinese', '/lang'],
    patterns: languagePatterns,
  },
  async run(ctx) {
    // The text holds the whole command, so `/lang zh` is read here too.
    const locale = requestedLanguage(ctx.text);
    // The explicit switch: it wins over consistent use until the customer switches again.
    ctx.turn.chooseLanguage(
      ctx.services.language.choose(ctx.customer.id, locale, { type: 'customer', customerId: ctx.customer.id }),
    );
    return { type: 'done', replies: [{ text: text.language[locale], buttons: [] }] };
  },
});

export const cancelFlow = defineCommand({
  name: 'cancel',
  triggers: { commands: ['取消', '/cancel', 'cancel', '退出', '算了'] },
  async run(ctx) {
    return { type: 'done', replies: [{ text: ctx.t(text.cancelled), buttons: mainMenuButtons(ctx) }] };
  },
});
