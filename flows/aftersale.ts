// After-sale service (售后服务): return, exchange, refund only, missing or damaged item, invoice.
// Pick the type, the order and the item (buttons), pass the policy check, choose a reason, describe it,
// optionally add a photo, and get a case number; "售后进度" shows the customer's cases.
// The policy itself (which orders and items qualify) is the crm service's (src/crm/return-policy.ts).
import { z } from 'zod';
import { caseNoPattern, classifyText, orderNumberCandidates } from '../src/ai/intents.ts';
import { type ActionOf, action, defineActions, wireInt } from '../src/core/actions.ts';
import { defineFlow, type FlowContext, type FlowResult } from '../src/core/flow.ts';
import { caseStageLabel, caseStatusLabel } from '../src/crm/cases.ts';
import { orderStatusLabel } from '../src/crm/orders.ts';
import type { Case, OrderWithItems } from '../src/crm/records.ts';
import { AfterSaleType, type PolicyRefusal } from '../src/crm/return-policy.ts';
import type { Reply } from '../src/domain/messages.ts';
import { formatDate, type Message, msg } from '../src/kernel/i18n.ts';
import { flowButton } from './names.ts';

/** The after-sale buttons; `aftersale:case:<caseNo>` is also on case notices (built by the case service). */
export const afterSaleActions = defineActions('aftersale', [
  action('type', { type: AfterSaleType }),
  action('order', { orderNo: z.string().min(1).max(64) }),
  action('item', { itemId: wireInt }),
  action('reason', { reason: z.string().min(1).max(32) }),
  action('skip'),
  action('status'),
  action('case', { caseNo: z.string().min(1).max(32) }),
]);
type Action = ActionOf<typeof afterSaleActions>;

const State = z.object({
  type: AfterSaleType.optional(),
  orderNo: z.string().optional(),
  itemId: z.number().int().optional(),
  reason: z.string().optional(),
  description: z.string().optional(),
  /** A photo the customer already sent (at the description step), so the photo step is not asked. */
  photoRef: z.string().optional(),
  step: z.enum(['type', 'order', 'item', 'reason', 'description', 'photo']),
});
type State = z.infer<typeof State>;

const typeLabels: Record<AfterSaleType, Message> = {
  return: msg('退货退款', 'Return'),
  exchange: msg('换货', 'Exchange'),
  refund: msg('仅退款', 'Refund only'),
  missing: msg('少件/漏发', 'Missing item'),
  damaged: msg('商品破损', 'Damaged item'),
  invoice: msg('开发票', 'Invoice'),
};

const reasons: Record<AfterSaleType, Array<[string, Message]>> = {
  return: [
    ['no_longer_needed', msg('不想要了', 'No longer needed')],
    ['size', msg('尺码不合适', 'Wrong size')],
    ['not_as_described', msg('与描述不符', 'Not as described')],
    ['quality', msg('质量问题', 'Quality problem')],
  ],
  exchange: [
    ['size', msg('换尺码', 'Different size')],
    ['color', msg('换颜色', 'Different colour')],
    ['quality', msg('质量问题', 'Quality problem')],
  ],
  refund: [
    ['not_received', msg('未收到货', 'Not received')],
    ['ordered_by_mistake', msg('拍错了/不想要', 'Ordered by mistake')],
    ['agreed', msg('与客服协商退款', 'Agreed with staff')],
  ],
  missing: [
    ['missing_item', msg('少发商品', 'Item missing')],
    ['missing_part', msg('少配件/赠品', 'Part or gift missing')],
  ],
  damaged: [
    ['transport', msg('运输破损', 'Damaged in transit')],
    ['quality', msg('质量问题', 'Quality problem')],
  ],
  invoice: [],
};

const text = {
  chooseType: msg('请选择售后类型：', 'What do you need help with?'),
  status: msg('售后进度', 'Case status'),
  chooseOrder: msg('请选择要申请售后的订单：', 'Which order is it about?'),
  noOrders: msg(
    '没有找到可以申请售后的订单。如有疑问请联系客服。',
    'I could not find an order eligible for after-sale. Please talk to staff if you have questions.',
  ),
  chooseItem: msg('请选择商品：', 'Which item?'),
  chooseReason: msg('请选择原因：', 'What is the reason?'),
  describe: msg('请简单描述一下情况（或点“跳过”）：', 'Please describe the problem briefly (or tap "Skip"):'),
  describeInvoice: msg(
    '请发送发票抬头和税号（个人发票只需抬头）：',
    'Please send the invoice title and tax number (just a name for a personal invoice):',
  ),
  photo: msg(
    '如有照片，请发送图片或图片链接；没有请点“跳过”：',
    'If you have a photo, send it or a link to it; otherwise tap "Skip":',
  ),
  skip: msg('跳过', 'Skip'),
  staff: msg('联系客服', 'Talk to staff'),
  created: msg(
    '✅ 已提交售后申请，售后单号：{caseNo}\n类型：{type}\n我们会在 1 个工作日内处理，进度会通知你。发送“售后进度”可随时查询。',
    '✅ Your request is in. Case number: {caseNo}\nType: {type}\nWe handle it within one working day and will keep you posted. Send "case status" any time.',
  ),
  duplicate: msg(
    '这件商品已有售后单 {caseNo}（{status}），无需重复提交。',
    'There is already case {caseNo} ({status}) for this item, no need to submit again.',
  ),
  notDelivered: msg(
    '订单 {orderNo} 还未签收（{status}），签收后才能申请{type}。如需取消订单或仅退款，可选择“仅退款”或联系客服。',
    'Order {orderNo} has not been delivered yet ({status}); {type} is possible after delivery. To cancel, choose "Refund only" or talk to staff.',
  ),
  windowPassed: msg(
    '很抱歉，订单 {orderNo} 已签收 {days} 天，超过了 {window} 天无理由退换期限，不能申请{type}。如商品有质量问题，请选择“商品破损”或联系客服。',
    'Sorry, order {orderNo} was delivered {days} days ago, past the {window}-day no-reason window, so {type} is not possible. For a quality problem choose "Damaged item" or talk to staff.',
  ),
  notReturnable: msg(
    '很抱歉，「{item}」属于不支持无理由退换的商品（如贴身衣物、礼品卡），不能申请{type}。如有质量问题，请选择“商品破损”或联系客服。',
    'Sorry, "{item}" cannot be returned or exchanged without a reason (e.g. underwear, gift cards). For a quality problem choose "Damaged item" or talk to staff.',
  ),
  notRefundable: msg(
    '订单 {orderNo} 当前状态为“{status}”，不能申请{type}。',
    'Order {orderNo} is {status}, so {type} is not possible.',
  ),
  noCases: msg('你还没有售后单。', 'You have no after-sale cases.'),
  cases: msg('你的售后单：', 'Your cases:'),
  caseLine: msg('{caseNo} · {type} · {status}{stage}', '{caseNo} · {type} · {status}{stage}'),
  unknownCase: msg('没有找到售后单 {caseNo}。', 'I could not find case {caseNo}.'),
};

const typePatterns: Array<[AfterSaleType, RegExp]> = [
  ['invoice', /发票|开票|\binvoice\b|\bfapiao\b/i],
  [
    'exchange',
    /换货|换码|换个码|换尺码|换颜色|换个颜色|换色|换一件|换大|换小|换(个|一个)?(大|小)|\bexchange\b|\bswap\b/i,
  ],
  ['refund', /仅退款|只退款|退款不退货|\brefund only\b|\bjust (a )?refund\b/i],
  ['missing', /少发|漏发|少件|少了|没收到.*(件|个)|\bmissing\b|\bwrong item\b/i],
  ['damaged', /破损|坏了|破了|破洞|质量问题|开线|\bdamaged\b|\bbroken?\b|\bbroke\b|\btorn\b|\bripped\b|\bdefect/i],
  ['return', /退货|退掉|退回|(想|要)退(?![款订出])|\breturn\b/i],
  ['refund', /退款|\brefund\b/i],
];
const statusPattern = /售后进度|进度|处理得怎么样|\bcase status\b|\bstatus of my case\b|\bmy cases?\b/i;

function typeFromText(message: string): AfterSaleType | undefined {
  return typePatterns.find(([, pattern]) => pattern.test(message))?.[0];
}

function skipButton(ctx: FlowContext) {
  return afterSaleActions.button(ctx.t(text.skip), { kind: 'skip' });
}

function ask(state: State, reply: Reply): FlowResult<State> {
  return { type: 'continue', replies: [{ ...reply, private: true }], state };
}

function end(ctx: FlowContext, message: string, withStaff = true): FlowResult<State> {
  return {
    type: 'done',
    replies: [
      { text: message, ...(withStaff ? { buttons: [flowButton(ctx.t(text.staff), 'human')] } : {}), private: true },
    ],
  };
}

function caseLine(ctx: FlowContext, row: Case): string {
  const type = AfterSaleType.safeParse(row.type);
  const stage = caseStageLabel(row.stage, ctx.locale);
  return ctx.t(text.caseLine, {
    caseNo: row.caseNo,
    type: type.success ? ctx.t(typeLabels[type.data]) : row.type,
    status: caseStatusLabel(row.status, ctx.locale),
    stage: stage ? ` · ${stage.replace(/[:：]\s*$/, '')}` : '',
  });
}

async function showCases(ctx: FlowContext, caseNo: string | undefined): Promise<FlowResult<State>> {
  if (caseNo) {
    const row = await ctx.services.cases.forCustomer(ctx.customer.id, caseNo);
    if (!row) return end(ctx, ctx.t(text.unknownCase, { caseNo: caseNo.toUpperCase() }));
    return end(ctx, `${caseLine(ctx, row)}\n${formatDate(row.createdAt, ctx.locale, ctx.services.shop.timezone)}`);
  }
  const rows = await ctx.services.cases.list(
    { customerId: ctx.customer.id, take: 5, skip: 0 },
    { type: 'customer', customerId: ctx.customer.id },
  );
  if (rows.length === 0) return end(ctx, ctx.t(text.noCases));
  return end(ctx, `${ctx.t(text.cases)}\n${rows.map((r) => caseLine(ctx, r)).join('\n')}`);
}

/** The policy's refusal, in words the customer understands. */
function refusalText(ctx: FlowContext, type: AfterSaleType, order: OrderWithItems, refusal: PolicyRefusal): string {
  const vars = {
    orderNo: order.orderNo,
    status: orderStatusLabel(order.status, ctx.locale),
    type: ctx.t(typeLabels[type]),
  };
  switch (refusal.reason) {
    case 'status':
      return ctx.t(text.notRefundable, vars);
    case 'not_delivered':
      return ctx.t(text.notDelivered, vars);
    case 'window_passed':
      return ctx.t(text.windowPassed, { ...vars, days: refusal.days, window: refusal.window });
    case 'not_returnable':
      return ctx.t(text.notReturnable, { ...vars, item: refusal.itemName });
  }
}

async function advance(ctx: FlowContext, state: State): Promise<FlowResult<State>> {
  const type = state.type;
  if (!type) {
    return ask(
      { ...state, step: 'type' },
      {
        text: ctx.t(text.chooseType),
        buttons: [
          ...AfterSaleType.options.map((option) =>
            afterSaleActions.button(ctx.t(typeLabels[option]), { kind: 'type', type: option }),
          ),
          afterSaleActions.button(ctx.t(text.status), { kind: 'status' }),
        ],
      },
    );
  }
  const order = state.orderNo ? await ctx.services.orders.ownedBy(ctx.customer.id, state.orderNo) : undefined;
  if (!order) {
    const orders = (await ctx.services.orders.recentFor(ctx.customer.id, 8)).filter((o) =>
      ctx.services.returnPolicy.takesRequests(o),
    );
    if (orders.length === 0) return end(ctx, ctx.t(text.noOrders));
    const only = orders[0];
    if (orders.length === 1 && only) return advance(ctx, { ...state, orderNo: only.orderNo });
    return ask(
      { ...state, orderNo: undefined, step: 'order' },
      {
        text: ctx.t(text.chooseOrder),
        buttons: orders.map((o) =>
          afterSaleActions.button(`${o.orderNo} ${o.items[0]?.name ?? ''}`.slice(0, 60), {
            kind: 'order',
            orderNo: o.orderNo,
          }),
        ),
      },
    );
  }
  let itemId = state.itemId;
  if (type !== 'invoice' && itemId === undefined) {
    if (order.items.length === 1) itemId = order.items[0]?.id;
    else {
      return ask(
        { ...state, step: 'item' },
        {
          text: ctx.t(text.chooseItem),
          buttons: order.items.map((i) =>
            afterSaleActions.button(`${i.name} ×${i.qty}`.slice(0, 60), { kind: 'item', itemId: i.id }),
          ),
        },
      );
    }
  }
  const current = { ...state, itemId };
  const existing = await ctx.services.cases.byDedupeKey(
    ctx.services.returnPolicy.dedupeKey(ctx.customer.id, type, order.orderNo, itemId),
  );
  if (existing) {
    return end(
      ctx,
      ctx.t(text.duplicate, { caseNo: existing.caseNo, status: caseStatusLabel(existing.status, ctx.locale) }),
      false,
    );
  }
  const refusal = await ctx.services.returnPolicy.refusal({ type, order, itemId, at: ctx.now });
  if (refusal) return end(ctx, refusalText(ctx, type, order, refusal));
  if (current.reason === undefined && reasons[type].length > 0) {
    return ask(
      { ...current, step: 'reason' },
      {
        text: ctx.t(text.chooseReason),
        buttons: reasons[type].map(([reason, label]) =>
          afterSaleActions.button(ctx.t(label), { kind: 'reason', reason }),
        ),
      },
    );
  }
  if (current.description === undefined) {
    return ask(
      { ...current, step: 'description' },
      {
        text: ctx.t(type === 'invoice' ? text.describeInvoice : text.describe),
        ...(type === 'invoice' ? {} : { buttons: [skipButton(ctx)] }),
      },
    );
  }
  if (type !== 'invoice' && state.step === 'description' && current.photoRef === undefined) {
    return ask({ ...current, step: 'photo' }, { text: ctx.t(text.photo), buttons: [skipButton(ctx)] });
  }
  return submit(ctx, current, order, current.photoRef);
}

async function submit(
  ctx: FlowContext,
  state: State,
  order: OrderWithItems,
  photoRef: string | undefined,
): Promise<FlowResult<State>> {
  const type = state.type ?? 'return';
  const item = order.items.find((i) => i.id === state.itemId);
  const { case: row, created } = await ctx.services.cases.open({
    type,
    customerId: ctx.customer.id,
    dedupeKey: ctx.services.returnPolicy.dedupeKey(ctx.customer.id, type, order.orderNo, item?.id),
    conversationId: ctx.conversation.id,
    orderId: order.id,
    orderItemId: item?.id ?? null,
    reason: state.reason ?? null,
    description: state.description || null,
    photoRef: photoRef ?? null,
    amount: item ? item.price * item.qty : order.total,
    data: { orderNo: order.orderNo, ...(item ? { sku: item.sku, itemName: item.name } : {}) },
  });
  if (!created) {
    return end(
      ctx,
      ctx.t(text.duplicate, { caseNo: row.caseNo, status: caseStatusLabel(row.status, ctx.locale) }),
      false,
    );
  }
  return {
    type: 'done',
    replies: [
      {
        text: ctx.t(text.created, { caseNo: row.caseNo, type: ctx.t(typeLabels[type]) }),
        buttons: [afterSaleActions.button(ctx.t(text.status), { kind: 'case', caseNo: row.caseNo })],
        private: true,
      },
    ],
  };
}

const linkPattern = /^https?:\/\/\S+$/i;

/** The photo of this message: one the app stored (webchat upload, Telegram photo) by its attachment id, or the channel's own reference. */
function sentPhoto(ctx: FlowContext): string | undefined {
  const stored = ctx.inbound.attachments?.[0];
  return stored ? `attachment:${stored.id}` : ctx.inbound.attachment?.ref;
}

/** Applies a button's action or typed text to the state, then moves to the next missing piece. */
async function step(ctx: FlowContext, state: State, action: Action | undefined): Promise<FlowResult<State>> {
  switch (action?.kind) {
    case 'status':
      return showCases(ctx, undefined);
    case 'case':
      return showCases(ctx, action.caseNo);
    case 'type':
      return advance(ctx, { ...state, type: action.type, reason: undefined, step: 'type' });
    case 'order':
      return advance(ctx, { ...state, orderNo: action.orderNo, itemId: undefined });
    case 'item':
      return advance(ctx, { ...state, itemId: action.itemId });
    case 'reason':
      return advance(ctx, { ...state, reason: action.reason });
    case 'skip':
      // A stale "skip" (double click after the case was filed) restarts at the menu instead of guessing.
      if (state.step !== 'description' && state.step !== 'photo') return advance(ctx, state);
  }
  const input = action?.kind === 'skip' ? '' : ctx.text.trim();
  const photo = action?.kind === 'skip' ? undefined : sentPhoto(ctx);
  if (state.step === 'description') {
    // A photo sent instead of (or with) a description is the case photo: asking for one again
    // reads to the customer as if the first one was lost.
    return advance(ctx, { ...state, description: input.slice(0, 2000), ...(photo ? { photoRef: photo } : {}) });
  }
  if (state.step === 'photo') {
    const order = state.orderNo ? await ctx.services.orders.ownedBy(ctx.customer.id, state.orderNo) : undefined;
    if (!order) return advance(ctx, state);
    if (photo || linkPattern.test(input)) return submit(ctx, state, order, photo ?? input.slice(0, 500));
    // Words typed instead of a photo say more about the problem; they are no photo reference.
    const description = [state.description, input].filter(Boolean).join('\n').slice(0, 2000);
    return submit(ctx, { ...state, description }, order, undefined);
  }
  // Typed text at a button step: understand what we can ("退货", an order number); a question or an
  // order query leaves the flow instead of trapping the customer in it.
  const caseNo = caseNoPattern.exec(ctx.text)?.[0];
  if (caseNo || statusPattern.test(ctx.text)) return showCases(ctx, caseNo);
  const type = typeFromText(ctx.text);
  const orderNo = orderNumberCandidates(ctx.text)[0];
  if (!type && !orderNo) {
    const intent = classifyText(ctx.text);
    return { type: 'switch', flow: intent?.intent === 'orders' ? 'orders' : 'presale' };
  }
  return advance(ctx, {
    ...state,
    ...(type ? { type } : {}),
    ...(orderNo ? { orderNo, itemId: undefined } : {}),
  });
}

export const afterSaleFlow = defineFlow({
  name: 'aftersale',
  triggers: {
    commands: ['售后', '售后服务', '申请售后', '/aftersale', 'aftersale', 'after-sale', '售后进度', '我的售后'],
    intents: ['aftersale'],
  },
  state: State,
  actions: afterSaleActions,
  async start(ctx, action) {
    if (action) return step(ctx, { step: 'type' }, action);
    const caseNo = caseNoPattern.exec(ctx.text)?.[0];
    if (caseNo || (!ctx.inbound.action && statusPattern.test(ctx.text))) return showCases(ctx, caseNo);
    const type = ctx.inbound.action ? undefined : typeFromText(ctx.text);
    const orderNo = ctx.inbound.action ? undefined : orderNumberCandidates(ctx.text)[0];
    return advance(ctx, { step: 'type', ...(type ? { type } : {}), ...(orderNo ? { orderNo } : {}) });
  },
  handle: step,
});
