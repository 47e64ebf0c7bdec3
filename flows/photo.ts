// A photo sent on its own, outside any step that asks for one: the bot says it has it and where a
// photo helps (after-sale, a person), instead of "I did not get that" (which would also count
// towards the hand-off after repeated failures). The after-sale photo step takes photos itself.
import type { Fallback } from '../src/core/router.ts';
import { msg } from '../src/kernel/i18n.ts';
import { flowButton } from './names.ts';

const text = {
  received: msg(
    '收到你的图片 👍 如果是商品有问题（破损、发错、想退换），请选"售后服务"，我会帮你登记；想让客服看看，请选"人工客服"。',
    'Got your photo 👍 If something is wrong with an item (damaged, wrong item, return), choose "After-sale" and I will register it; to show it to our staff, choose "Talk to staff".',
  ),
  afterSale: msg('🔧 售后服务', '🔧 After-sale'),
  staff: msg('🙋 人工客服', '🙋 Talk to staff'),
};

export const photoFallback: Fallback = async (ctx) => {
  if (ctx.text.trim() !== '' || !ctx.inbound.attachments?.length) return null;
  return {
    type: 'done',
    replies: [
      {
        text: ctx.t(text.received),
        buttons: [flowButton(ctx.t(text.afterSale), 'aftersale'), flowButton(ctx.t(text.staff), 'human')],
      },
    ],
  };
};
