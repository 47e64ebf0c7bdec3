// `/broadcast` for sellers on their phones (Telegram admins only): pick an audience with buttons,
// type the message, see the audience size and a preview, confirm. The campaign is saved as a draft
// before the confirm step, so the confirm/cancel buttons carry its id and survive restarts.
import { z } from 'zod';
import { type ActionOf, action, defineActions, wireInt } from '../src/core/actions.ts';
import { defineFlow, type FlowContext, type FlowResult } from '../src/core/flow.ts';
import { BroadcastAudience } from '../src/crm/campaigns.ts';
import { msg } from '../src/kernel/i18n.ts';

const text = {
  notAllowed: msg('抱歉，只有店铺管理员可以群发。', 'Sorry, only shop admins can broadcast.'),
  audience: msg('要发给谁？', 'Who should get it?'),
  all: msg('所有订阅客户', 'Everyone subscribed'),
  dormant: msg('沉睡客户', 'Dormant customers'),
  ask: msg(
    '请输入要群发的内容（可用 {name} {points} {tier}）：',
    'Type the message (you can use {name} {points} {tier}):',
  ),
  preview: msg(
    '将发送给 {count} 位客户，预览：\n\n{preview}\n\n确认发送吗？',
    'This goes to {count} customers. Preview:\n\n{preview}\n\nSend it?',
  ),
  confirm: msg('确认发送', 'Send'),
  cancel: msg('取消', 'Cancel'),
  sent: msg(
    '已开始群发（活动 #{id}），进度可在后台查看。',
    'Broadcast started (campaign #{id}); follow it in the console.',
  ),
  cancelled: msg('已取消群发。', 'Broadcast cancelled.'),
  empty: msg('没有符合条件的客户，已取消。', 'Nobody matches; cancelled.'),
};

const actions = defineActions('broadcast', [
  action('to', { audience: BroadcastAudience }),
  action('confirm', { campaignId: wireInt }),
  action('cancel', { campaignId: wireInt }),
]);

const State = z.object({ step: z.literal('text'), audience: BroadcastAudience });
type State = z.infer<typeof State>;

const allowed = (ctx: FlowContext) =>
  ctx.services.campaigns.isBroadcastAdmin(ctx.identity.channel, ctx.identity.externalId);
const admin = { type: 'admin' } as const;
const notAllowed = (ctx: FlowContext): FlowResult<State> => ({
  type: 'done',
  replies: [{ text: ctx.t(text.notAllowed) }],
});

/** `/broadcast` or one of its buttons (also while the flow waits for the message text). */
async function press(ctx: FlowContext, action: ActionOf<typeof actions> | undefined): Promise<FlowResult<State>> {
  if (!allowed(ctx)) return notAllowed(ctx);
  switch (action?.kind) {
    case 'to':
      return {
        type: 'continue',
        replies: [{ text: ctx.t(text.ask) }],
        state: { step: 'text', audience: action.audience },
      };
    case 'confirm':
      await ctx.services.campaigns.start(action.campaignId, admin);
      return { type: 'done', replies: [{ text: ctx.t(text.sent, { id: action.campaignId }) }] };
    case 'cancel':
      await ctx.services.campaigns.cancel(action.campaignId, admin);
      return { type: 'done', replies: [{ text: ctx.t(text.cancelled) }] };
  }
  return {
    type: 'done',
    replies: [
      {
        text: ctx.t(text.audience),
        buttons: [
          actions.button(ctx.t(text.all), { kind: 'to', audience: 'all' }),
          actions.button(ctx.t(text.dormant), { kind: 'to', audience: 'dormant' }),
        ],
      },
    ],
  };
}

export const broadcastFlow = defineFlow({
  name: 'broadcast',
  triggers: { commands: ['/broadcast', '群发'] },
  state: State,
  actions,
  start: press,
  async handle(ctx, state, action) {
    if (action) return press(ctx, action);
    if (!allowed(ctx)) return notAllowed(ctx);
    const rules = ctx.services.campaigns.broadcastRules(state.audience);
    const { count } = await ctx.services.segments.preview(rules, 0);
    if (count === 0) return { type: 'done', replies: [{ text: ctx.t(text.empty) }] };
    const draft = await ctx.services.campaigns.create(
      {
        name: `/broadcast ${ctx.now.toISOString().slice(0, 16)}`,
        audience: { rules },
        message: { text: ctx.text },
        channels: ['telegram', 'wechat', 'webchat'],
        draft: true,
      },
      admin,
    );
    const preview = ctx.text
      .replaceAll('{name}', ctx.customer.name ?? '')
      .replaceAll('{points}', '100')
      .replaceAll('{tier}', 'VIP');
    return {
      type: 'done',
      replies: [
        {
          text: ctx.t(text.preview, { count, preview }),
          buttons: [
            actions.button(ctx.t(text.confirm), { kind: 'confirm', campaignId: draft.id }),
            actions.button(ctx.t(text.cancel), { kind: 'cancel', campaignId: draft.id }),
          ],
        },
      ],
    };
  },
});
