// Order tracking (订单查询): recent orders, one order's timeline, carrier and tracking number, and
// the switch for proactive order notices. Every reply is private: orders never go to a group.
import { z } from 'zod';
import { classifyText, isTrackingQuestion, orderNumberCandidates } from '../src/ai/intents.ts';
import { action, defineActions } from '../src/core/actions.ts';
import { type CommandResult, defineCommand, type FlowContext } from '../src/core/flow.ts';
import { orderStatusLabel } from '../src/crm/orders.ts';
import type { OrderWithItems } from '../src/crm/records.ts';
import type { Reply } from '../src/domain/messages.ts';
import { formatDate, formatMoney, msg } from '../src/kernel/i18n.ts';
import { afterSaleActions } from './aftersale.ts';
import { flowButton } from './names.ts';
import { sideQuestionReplies } from './presale-answer.ts';

/** `orders:<orderNo>` shows an order (also the button of order notices, built by the order service). */
export const ordersActions = defineActions(
  'orders',
  [action('list'), action('notify-off'), action('notify-on'), action('show', { orderNo: z.string().min(1).max(64) })],
  { bare: 'show' },
);

const text = {
  list: msg('你最近的订单（点击查看详情）：', 'Your recent orders (tap one for details):'),
  line: msg('{orderNo} · {status} · {total} · {date}', '{orderNo} · {status} · {total} · {date}'),
  none: msg(
    '没有查到你的订单。如果是用其他账号下的单，请发订单号给我，或联系客服。',
    'I could not find any orders for you. If you ordered from another account, send me the order number or talk to staff.',
  ),
  unknown: msg(
    '没有找到订单 {orderNo}，请核对订单号（只能查询你本人的订单）。',
    'I could not find order {orderNo}. Please check the number (you can only look up your own orders).',
  ),
  header: msg(
    '📦 订单 {orderNo}\n状态：{status}\n金额：{total}',
    '📦 Order {orderNo}\nStatus: {status}\nTotal: {total}',
  ),
  items: msg('商品：', 'Items:'),
  tracking: msg('物流：{carrier} {trackingNo}', 'Shipping: {carrier} {trackingNo}'),
  expected: msg('预计送达：{date}', 'Expected delivery: {date}'),
  timeline: msg('进度：', 'Timeline:'),
  afterSale: msg('申请售后', 'After-sale'),
  staff: msg('联系客服', 'Talk to staff'),
  all: msg('全部订单', 'All orders'),
  notifyOff: msg('关闭订单通知', 'Turn off order notices'),
  notifyOn: msg('开启订单通知', 'Turn on order notices'),
  turnedOff: msg(
    '已关闭订单发货/签收通知。回复“开启订单通知”可重新开启。',
    'Order shipping/delivery notices are off. Reply "order notices on" to turn them back on.',
  ),
  turnedOn: msg(
    '已开启订单通知，发货和签收时会通知你。',
    'Order notices are on: I will tell you when orders ship and arrive.',
  ),
};

const notifyOffPattern =
  /关闭订单通知|关掉订单通知|不要订单通知|订单通知关闭|order notices? off|turn off order notices?/i;
const notifyOnPattern = /开启订单通知|打开订单通知|订单通知开启|order notices? on|turn on order notices?/i;

function date(ctx: FlowContext, at: Date): string {
  return formatDate(at, ctx.locale, ctx.services.shop.timezone);
}

export function orderDetail(ctx: FlowContext, order: OrderWithItems): Reply {
  const lines = [
    ctx.t(text.header, {
      orderNo: order.orderNo,
      status: orderStatusLabel(order.status, ctx.locale),
      total: formatMoney(order.total),
    }),
    ctx.t(text.items),
    ...order.items.map((item) => `· ${item.name} ×${item.qty} ${formatMoney(item.price)}`),
  ];
  if (order.trackingNo)
    lines.push(ctx.t(text.tracking, { carrier: order.carrier ?? '', trackingNo: order.trackingNo }));
  if (order.expectedDeliveryAt && !order.deliveredAt) {
    lines.push(ctx.t(text.expected, { date: date(ctx, order.expectedDeliveryAt) }));
  }
  if (order.events.length > 0) {
    lines.push(ctx.t(text.timeline));
    for (const event of order.events) {
      lines.push(
        `· ${date(ctx, event.at)} ${orderStatusLabel(event.status, ctx.locale)}${event.note ? ` (${event.note})` : ''}`,
      );
    }
  }
  const notices = ctx.customer.orderNotifications;
  return {
    text: lines.join('\n'),
    buttons: [
      afterSaleActions.button(ctx.t(text.afterSale), { kind: 'order', orderNo: order.orderNo }),
      ordersActions.button(ctx.t(text.all), { kind: 'list' }),
      ordersActions.button(ctx.t(notices ? text.notifyOff : text.notifyOn), {
        kind: notices ? 'notify-off' : 'notify-on',
      }),
      flowButton(ctx.t(text.staff), 'human'),
    ],
    private: true,
  };
}

async function list(ctx: FlowContext): Promise<CommandResult> {
  const orders = await ctx.services.orders.recentFor(ctx.customer.id, 5);
  if (orders.length === 0) {
    return {
      type: 'done',
      replies: [{ text: ctx.t(text.none), buttons: [flowButton(ctx.t(text.staff), 'human')], private: true }],
    };
  }
  const lines = orders.map((o) =>
    ctx.t(text.line, {
      orderNo: o.orderNo,
      status: orderStatusLabel(o.status, ctx.locale),
      total: formatMoney(o.total),
      date: date(ctx, o.placedAt).slice(0, 10),
    }),
  );
  return {
    type: 'done',
    replies: [
      {
        text: `${ctx.t(text.list)}\n${lines.join('\n')}`,
        buttons: orders.map((o) => ordersActions.button(o.orderNo, { kind: 'show', orderNo: o.orderNo })),
        private: true,
      },
    ],
  };
}

async function show(ctx: FlowContext, orderNo: string): Promise<CommandResult> {
  const order = await ctx.services.orders.ownedBy(ctx.customer.id, orderNo);
  if (!order) {
    return {
      type: 'done',
      replies: [
        {
          text: ctx.t(text.unknown, { orderNo }),
          buttons: [ordersActions.button(ctx.t(text.all), { kind: 'list' })],
          private: true,
        },
      ],
    };
  }
  return { type: 'done', replies: [orderDetail(ctx, order)] };
}

async function setNotices(ctx: FlowContext, on: boolean): Promise<CommandResult> {
  await ctx.services.customers.update(
    ctx.customer.id,
    { orderNotifications: on },
    { type: 'customer', customerId: ctx.customer.id },
  );
  return { type: 'done', replies: [{ text: ctx.t(on ? text.turnedOn : text.turnedOff), private: true }] };
}

/** "我买的东西到哪了" with exactly one order on its way: that order (its tracking number answers it). */
async function inTransit(ctx: FlowContext): Promise<string | undefined> {
  if (!isTrackingQuestion(ctx.text)) return undefined;
  const shipped = (await ctx.services.orders.recentFor(ctx.customer.id, 5)).filter((o) => o.status === 'shipped');
  return shipped.length === 1 ? shipped[0]?.orderNo : undefined;
}

/** The order number a message names: by pattern, else (when configured) by the LLM. */
export async function findOrderNo(ctx: FlowContext, message: string): Promise<string | undefined> {
  const candidates = orderNumberCandidates(message);
  for (const candidate of candidates) {
    if (await ctx.services.orders.ownedBy(ctx.customer.id, candidate)) return candidate;
  }
  if (candidates[0]) return candidates[0];
  return ctx.services.llm?.extractOrderNo(message);
}

export const ordersFlow = defineCommand({
  name: 'orders',
  triggers: {
    commands: ['我的订单', '查订单', '订单', '订单查询', '/orders', 'orders', 'my orders', 'my order'],
    patterns: [notifyOffPattern, notifyOnPattern],
    intents: ['orders'],
  },
  actions: ordersActions,
  async run(ctx, action) {
    switch (action?.kind) {
      case 'notify-off':
        return setNotices(ctx, false);
      case 'notify-on':
        return setNotices(ctx, true);
      case 'list':
        return list(ctx);
      case 'show':
        return show(ctx, action.orderNo);
    }
    if (notifyOffPattern.test(ctx.text)) return setNotices(ctx, false);
    if (notifyOnPattern.test(ctx.text)) return setNotices(ctx, true);
    if (ctx.inbound.action) return list(ctx);
    const orderNo = (await findOrderNo(ctx, ctx.text)) ?? (await inTransit(ctx));
    const result = orderNo ? await show(ctx, orderNo) : await list(ctx);
    // Multi-intent: "订单…到哪了，另外可以开发票吗" also answers the side question.
    const side = await sideQuestionReplies(
      ctx,
      ctx.text,
      (clause) => orderNumberCandidates(clause).length > 0 || classifyText(clause)?.intent === 'orders',
    );
    return side.length > 0 && result.type === 'done' ? { ...result, replies: [...result.replies, ...side] } : result;
  },
});
