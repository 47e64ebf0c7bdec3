// `/broadcast` for sellers on their phones (Telegram admins only): pick an audience with buttons,
// type the message, see the audience size and a preview, confirm. The campaign is saved as a draft
// before the confirm step, so the confirm/cancel buttons carry its id and survive restarts.
import { z } from 'zod';
import { button, defineFlow, type FlowContext } from '../src/core/flow.ts';
import type { SegmentRule } from '../src/crm/segment-rules.ts';
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

const State = z.object({ step: z.literal('text'), audience: z.string() });
type State = z.infer<typeof State>;

const consenting: SegmentRule = { type: 'consent', optIn: true };

function rulesFor(audience: string): SegmentRule {
  if (audience === 'dormant') return { type: 'and', rules: [consenting, { type: 'lifecycle', in: ['dormant'] }] };
  return consenting;
}

const allowed = (ctx: FlowContext) =>
  ctx.services.campaigns.isBroadcastAdmin(ctx.identity.channel, ctx.identity.externalId);
const admin = { type: 'admin' } as const;

export const broadcastFlow = defineFlow<State>({
  name: 'broadcast',
  triggers: { commands: ['/broadcast', '群发'] },
  state: State,
  async start(ctx, input) {
    if (!allowed(ctx)) return { type: 'done', replies: [{ text: ctx.t(text.notAllowed) }] };
    const [verb = '', arg = ''] = (input ?? '').split(':');
    if (verb === 'to') {
      return { type: 'continue', replies: [{ text: ctx.t(text.ask) }], state: { step: 'text', audience: arg } };
    }
    if (verb === 'confirm' || verb === 'cancel') {
      const id = Number(arg);
      if (verb === 'confirm') {
        await ctx.services.campaigns.start(id, admin);
        return { type: 'done', replies: [{ text: ctx.t(text.sent, { id }) }] };
      }
      await ctx.services.campaigns.cancel(id, admin);
      return { type: 'done', replies: [{ text: ctx.t(text.cancelled) }] };
    }
    return {
      type: 'done',
      replies: [
        {
          text: ctx.t(text.audience),
          buttons: [
            button(ctx.t(text.all), 'broadcast', 'to:all'),
            button(ctx.t(text.dormant), 'broadcast', 'to:dormant'),
          ],
        },
      ],
    };
  },
  async handle(ctx, state) {
    if (!allowed(ctx)) return { type: 'done', replies: [{ text: ctx.t(text.notAllowed) }] };
    const rules = rulesFor(state.audience);
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
            button(ctx.t(text.confirm), 'broadcast', `confirm:${draft.id}`),
            button(ctx.t(text.cancel), 'broadcast', `cancel:${draft.id}`),
          ],
        },
      ],
    };
  },
});
