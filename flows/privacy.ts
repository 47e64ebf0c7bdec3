// A customer's request to delete their personal data (PIPL 删除权): the bot does not erase anything
// itself (staff check who is asking, then erase through the admin API); it opens one case for staff
// and tells the customer its number. Asking again answers with the same case.
import { defineCommand } from '../src/core/flow.ts';
import { msg } from '../src/kernel/i18n.ts';

const text = {
  received: msg(
    '已收到你删除个人信息的请求（工单号 {caseNo}）。工作人员核实后会删除你的资料和聊天记录，并在这里告诉你结果。',
    'We have your request to delete your personal data (case {caseNo}). Staff will verify it, delete your profile and messages, and tell you here.',
  ),
  already: msg(
    '你删除个人信息的请求已在处理中（工单号 {caseNo}）。',
    'Your request to delete your personal data is being handled (case {caseNo}).',
  ),
};

export const privacyFlow = defineCommand({
  name: 'privacy',
  triggers: {
    commands: [
      '删除我的信息',
      '删除我的数据',
      '删除我的资料',
      '删除个人信息',
      'delete my data',
      'delete my information',
    ],
    patterns: [
      /^(?:请|麻烦)?(?:帮我)?(?:删除|删掉|清除)(?:我的)?(?:个人)?(?:信息|数据|资料|聊天记录)/,
      /^(?:please\s+)?(?:delete|erase|remove)\s+(?:all\s+)?my\s+(?:personal\s+)?(?:data|information|details)/i,
    ],
  },
  async run(ctx) {
    const { case: row, created } = await ctx.services.cases.open({
      type: 'other',
      customerId: ctx.customer.id,
      dedupeKey: `privacy-erase:${ctx.customer.id}`,
      conversationId: ctx.conversation.id,
      reason: 'data_erasure',
      description: ctx.text,
      priority: 'high',
      data: { request: 'erase', channel: ctx.inbound.channel },
    });
    return { type: 'done', replies: [{ text: ctx.t(created ? text.received : text.already, { caseNo: row.caseNo }) }] };
  },
});
