// "My profile": the customer sees and corrects the name and phone number the shop has on file.
import { z } from 'zod';
import { type ActionOf, action, defineActions } from '../src/core/actions.ts';
import { defineFlow, type FlowContext, type FlowResult } from '../src/core/flow.ts';
import type { Reply } from '../src/domain/messages.ts';
import { msg } from '../src/kernel/i18n.ts';
import { normalisePhone } from '../src/kernel/privacy.ts';

const text = {
  summary: msg('你的资料：\n姓名：{name}\n手机号：{phone}', 'Your profile:\nName: {name}\nPhone: {phone}'),
  unset: msg('未填写', 'not set'),
  editName: msg('✏️ 修改姓名', '✏️ Change name'),
  editPhone: msg('📱 修改手机号', '📱 Change phone'),
  done: msg('✅ 完成', '✅ Done'),
  askName: msg('请输入你的姓名（最多 30 个字）：', 'Please type your name (up to 30 characters):'),
  askPhone: msg(
    '请输入你的手机号（中国大陆 11 位手机号，或带国家码的国际号码，如 +44…）：',
    'Please type your phone number (11-digit mainland mobile, or international with country code, e.g. +44…):',
  ),
  badName: msg(
    '这个名字不太对，请输入 1–30 个字的姓名：',
    'That does not look like a name. Please type 1–30 characters:',
  ),
  badPhone: msg(
    '手机号格式不对，请重新输入（输入“取消”退出）：',
    'That is not a valid phone number. Try again (or type "cancel"):',
  ),
  gaveUp: msg('没关系，稍后可以随时在“我的资料”中修改。', 'No problem, you can change it any time under "My profile".'),
  saved: msg('已保存 ✅', 'Saved ✅'),
  bye: msg('好的，有需要随时找我。', 'All right, I am here whenever you need me.'),
};

const actions = defineActions('profile', [action('name'), action('phone'), action('close')]);

const State = z.object({ step: z.enum(['name', 'phone']), attempts: z.number().int().min(0) });
type State = z.infer<typeof State>;

const MAX_ATTEMPTS = 3;

function summary(ctx: FlowContext, name: string | null, phone: string | null): Reply {
  return {
    text: ctx.t(text.summary, { name: name ?? ctx.t(text.unset), phone: phone ?? ctx.t(text.unset) }),
    buttons: [
      actions.button(ctx.t(text.editName), { kind: 'name' }),
      actions.button(ctx.t(text.editPhone), { kind: 'phone' }),
      actions.button(ctx.t(text.done), { kind: 'close' }),
    ],
    private: true,
  };
}

function ask(ctx: FlowContext, step: State['step']): FlowResult<State> {
  return {
    type: 'continue',
    replies: [{ text: ctx.t(step === 'name' ? text.askName : text.askPhone), private: true }],
    state: { step, attempts: 0 },
  };
}

async function open(ctx: FlowContext, action: ActionOf<typeof actions> | undefined): Promise<FlowResult<State>> {
  if (action?.kind === 'name' || ctx.text === '修改姓名') return ask(ctx, 'name');
  if (action?.kind === 'phone' || ctx.text === '修改手机号') return ask(ctx, 'phone');
  if (action?.kind === 'close') return { type: 'done', replies: [{ text: ctx.t(text.bye) }] };
  return { type: 'done', replies: [summary(ctx, ctx.customer.name, ctx.customer.phone)] };
}

export const profileFlow = defineFlow({
  name: 'profile',
  triggers: {
    commands: ['/profile', 'profile', 'my profile', '我的资料', '个人资料', '资料', '修改手机号', '修改姓名'],
  },
  state: State,
  actions,
  start: open,
  async handle(ctx, state, action) {
    // A press on one of its buttons, or on a button that only names the flow: never typed input.
    if (action || ctx.inbound.action) return open(ctx, action);
    const input = ctx.text.trim();
    const actor = { type: 'customer', customerId: ctx.customer.id } as const;
    if (state.step === 'name') {
      const name = input.replace(/\s+/g, ' ');
      if (name.length >= 1 && name.length <= 30 && /[\p{L}\p{N}]/u.test(name)) {
        const customer = await ctx.services.customers.update(ctx.customer.id, { name }, actor);
        return { type: 'done', replies: [{ text: ctx.t(text.saved) }, summary(ctx, customer.name, customer.phone)] };
      }
    } else {
      const phone = normalisePhone(input);
      if (phone) {
        const customer = await ctx.services.customers.update(ctx.customer.id, { phone }, actor);
        return { type: 'done', replies: [{ text: ctx.t(text.saved) }, summary(ctx, customer.name, customer.phone)] };
      }
    }
    if (state.attempts + 1 >= MAX_ATTEMPTS) return { type: 'done', replies: [{ text: ctx.t(text.gaveUp) }] };
    return {
      type: 'continue',
      replies: [{ text: ctx.t(state.step === 'name' ? text.badName : text.badPhone), private: true }],
      state: { step: state.step, attempts: state.attempts + 1 },
    };
  },
});
