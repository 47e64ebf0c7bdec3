// The main menu: the first thing a customer sees, and where "not understood" leads back to.
import { defineCommand, type FlowContext } from '../src/core/flow.ts';
import type { Reply } from '../src/domain/messages.ts';
import { type Message, msg } from '../src/kernel/i18n.ts';
import { type FlowName, flowButton } from './names.ts';

const menuText = {
  welcome: msg(
    '你好{name}！我是{shop}的小助手，可以帮你：',
    'Hi{name}! I am the assistant of {shop}. I can help with:',
  ),
  prompt: msg('请选择，或直接输入你的问题：', 'Pick one, or just type your question:'),
  notUnderstood: msg(
    '抱歉，我没太明白。你可以换个说法，或从下面选择：',
    'Sorry, I did not quite get that. Try rephrasing, or pick one below:',
  ),
  products: msg('🛍️ 商品咨询', '🛍️ Product questions'),
  orders: msg('📦 我的订单', '📦 My orders'),
  afterSale: msg('🔧 售后服务', '🔧 After-sale'),
  points: msg('🎁 积分', '🎁 Points'),
  staff: msg('🙋 人工客服', '🙋 Talk to staff'),
  profile: msg('👤 我的资料', '👤 My profile'),
  subscribe: msg('🔔 订阅优惠', '🔔 Get our offers'),
};

/** The main menu's entries: a label and the flow it opens. */
const entries: Array<[Message, FlowName]> = [
  [menuText.products, 'presale'],
  [menuText.orders, 'orders'],
  [menuText.afterSale, 'aftersale'],
  [menuText.points, 'loyalty'],
  [menuText.staff, 'human'],
  [menuText.profile, 'profile'],
];

export function mainMenuButtons(ctx: Pick<FlowContext, 't'>) {
  return entries.map(([label, flow]) => flowButton(ctx.t(label), flow));
}

function mainMenu(ctx: FlowContext): Reply {
  const name = ctx.customer.name ? ` ${ctx.customer.name}` : '';
  // Marketing consent is opt-in: the menu offers it to whoever has not given it.
  const subscribe = ctx.customer.marketingOptIn ? [] : [flowButton(ctx.t(menuText.subscribe), 'subscribe')];
  return {
    text: `${ctx.t(menuText.welcome, { name, shop: ctx.services.shop.name })}\n${ctx.t(menuText.prompt)}`,
    buttons: [...mainMenuButtons(ctx), ...subscribe],
  };
}

export function notUnderstoodReply(ctx: FlowContext): Reply[] {
  return [{ text: ctx.t(menuText.notUnderstood), buttons: mainMenuButtons(ctx) }];
}

export const menuFlow = defineCommand({
  name: 'menu',
  triggers: {
    commands: ['/start', '/menu', 'menu', '菜单', '主菜单', '开始', 'hi', 'hello', '你好', '您好'],
  },
  async run(ctx) {
    return { type: 'done', replies: [mainMenu(ctx)] };
  },
});
