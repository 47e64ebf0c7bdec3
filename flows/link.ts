// Binding (绑定 / link): "绑定" gives a six-digit code; "绑定 123456" typed in another chat (another
// channel, or another browser) makes the two profiles one. The rules live in src/crm/binding.ts; this
// flow only words the answers, here and in the chat the code came from.
import { defineCommand } from '../src/core/flow.ts';
import type { ChannelName } from '../src/domain/channels.ts';
import { msg, translator } from '../src/kernel/i18n.ts';

const text = {
  issued: msg(
    '你的绑定码：{code}（{minutes} 分钟内有效，只能用一次）。\n请在另一个渠道（微信、Telegram 或网页客服）发送“绑定 {code}”，两边的积分、订单和记录会合并为同一个账户。请勿把绑定码告诉他人。',
    'Your link code: {code} (valid {minutes} minutes, single use).\nIn your other chat (WeChat, Telegram or the web chat) send "link {code}" and your points, orders and history become one account. Do not share this code.',
  ),
  limited: msg('操作太频繁了，请稍后再试。', 'Too many attempts. Please try again later.'),
  invalid: msg(
    '绑定码无效或已过期。请在另一个渠道发送“绑定”获取新的绑定码。',
    'That code is invalid or has expired. Send "link" in your other chat to get a new one.',
  ),
  same: msg('这两个聊天已经是同一个账户了。', 'These chats already belong to one account.'),
  linked: msg(
    '绑定成功 ✅ 两个渠道的积分、订单和记录已合并为同一个账户。',
    'Linked ✅ Your points, orders and history from both chats are now one account.',
  ),
  linkedThere: msg(
    '绑定成功 ✅ 这个聊天已与你在{channel}的账户合并。',
    'Linked ✅ This chat is now part of your account on {channel}.',
  ),
};

const channelNames: Record<ChannelName, ReturnType<typeof msg>> = {
  telegram: msg('Telegram', 'Telegram'),
  wechat: msg('微信', 'WeChat'),
  wecom: msg('企业微信', 'WeCom'),
  webchat: msg('网页客服', 'the web chat'),
};

/** "绑定", "link", "link account", "/link", optionally followed by a six-digit code. */
const bindingPattern = /^\/?(?:绑定(?:账号|账户)?|link(?: account)?)(?:\s*[:：]?\s*(\d{6}))?$/i;

export const linkFlow = defineCommand({
  name: 'link',
  triggers: { commands: ['绑定', '绑定账号', 'link', 'link account', '/link'], patterns: [bindingPattern] },
  async run(ctx) {
    const code = bindingPattern.exec(ctx.text)?.[1];
    const { binding, messaging } = ctx.services;
    if (!code) {
      const issued = await binding.issue(ctx.customer.id, ctx.chat.channel, ctx.identity.externalId);
      const reply =
        issued.status === 'issued'
          ? ctx.t(text.issued, { code: issued.code, minutes: issued.minutes })
          : ctx.t(text.limited);
      return { type: 'done', replies: [{ text: reply, private: true }] };
    }
    const result = await binding.redeem(ctx.customer.id, code);
    switch (result.status) {
      case 'linked': {
        const here = ctx.chat.channel;
        await messaging.sendToCustomer(
          result.customerId,
          (locale) => ({
            text: translator(locale)(text.linkedThere, { channel: translator(locale)(channelNames[here]) }),
          }),
          { purpose: 'notification', channel: result.channel, externalId: result.externalId },
        );
        return { type: 'done', replies: [{ text: ctx.t(text.linked), private: true }] };
      }
      case 'same':
        return { type: 'done', replies: [{ text: ctx.t(text.same), private: true }] };
      case 'limited':
        return { type: 'done', replies: [{ text: ctx.t(text.limited), private: true }] };
      case 'invalid':
        return { type: 'done', replies: [{ text: ctx.t(text.invalid), private: true }] };
    }
  },
});
