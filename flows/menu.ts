// The main menu: the first thing a customer sees, and where "not understood" leads back to.
import { z } from 'zod';
import { button, defineFlow, type FlowContext } from '../src/core/flow.ts';
import type { Reply } from '../src/domain/messages.ts';
import { msg } from '../src/kernel/i18n.ts';

export const menuText = {
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
};

/** Button data for the menu entries; flows added later (orders, after-sale, loyalty) take these names. */
export const menuTargets = {
  products: 'presale',
  orders: 'orders',
  afterSale: 'aftersale',
  points: 'loyalty',
  staff: 'human',
  profile: 'profile',
} as const;

export function mainMenuButtons(ctx: Pick<FlowContext, 't'>) {
  return [
    button(ctx.t(menuText.products), menuTargets.products),
    button(ctx.t(menuText.orders), menuTargets.orders),
    button(ctx.t(menuText.afterSale), menuTargets.afterSale),
    button(ctx.t(menuText.points), menuTargets.points),
    button(ctx.t(menuText.staff), menuTargets.staff),
    button(ctx.t(menuText.profile), menuTargets.profile),
  ];
}

export function mainMenu(ctx: FlowContext, greet: boolean): Reply {
  const name = ctx.customer.name ? ` ${ctx.customer.name}` : '';
  const text = greet
    ? `${ctx.t(menuText.welcome, { name, shop: ctx.services.shop.name })}\n${ctx.t(menuText.prompt)}`
    : ctx.t(menuText.prompt);
  return { text, buttons: mainMenuButtons(ctx) };
}

export function notUnderstoodReply(ctx: FlowContext): Reply[] {
  return [{ text: ctx.t(menuText.notUnderstood), buttons: mainMenuButtons(ctx) }];
}

export const menuFlow = defineFlow({
  name: 'menu',
  triggers: {
    commands: ['/start', '/menu', 'menu', '菜单', '主菜单', '开始', 'hi', 'hello', '你好', '您好'],
  },
  state: z.null(),
  async start(ctx) {
    return { type: 'done', replies: [mainMenu(ctx, true)] };
  },
  async handle(ctx) {
    return { type: 'done', replies: [mainMenu(ctx, false)] };
  },
});
