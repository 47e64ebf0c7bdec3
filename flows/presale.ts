// Pre-sale questions (售前咨询): the router's fallback answers any free-text question from the catalog
// and FAQ; the `presale` flow is the menu entry and the "加入咨询" button of a product card.
import { escapeFlow } from '../src/ai/phrases.ts';
import { detectSmalltalk, smalltalkText } from '../src/ai/smalltalk.ts';
import { type CommandResult, defineCommand, type FlowContext } from '../src/core/flow.ts';
import type { Fallback } from '../src/core/router.ts';
import { msg } from '../src/kernel/i18n.ts';
import { answerQuestion, presaleActions, productCard, productName } from './presale-answer.ts';

const text = {
  prompt: msg(
    '想了解什么？直接输入商品名称或问题即可，例如：“T恤多少钱”“这件有M码吗”“包邮吗”“多久能到”。',
    'What would you like to know? Just type an item or a question, e.g. "price of the tee", "is it in size M?", "free shipping?".',
  ),
  selected: msg(
    '好的，正在为你咨询「{name}」。可以继续问我尺码、颜色、库存或价格。',
    'Sure, let us talk about "{name}". Ask me about sizes, colours, stock or price.',
  ),
  gone: msg('这件商品已下架或不存在。', 'That item is no longer available.'),
};

/** Answers `question`, logs it to the profile, and lets the optional LLM rephrase grounded answers. */
export async function respondToQuestion(ctx: FlowContext, question: string): Promise<CommandResult> {
  const smalltalk = detectSmalltalk(question);
  if (smalltalk) return { type: 'done', replies: [{ text: ctx.t(smalltalkText[smalltalk]) }] };
  const answer = await answerQuestion(ctx, question);
  ctx.services.interest.note(ctx.turn, {
    text: question,
    productIds: answer.products.map((p) => p.id),
    skus: answer.products.map((p) => p.sku),
    faqIds: answer.faqs.map((f) => f.id),
    confidence: answer.confidence,
    answered: answer.answered,
    asked: answer.asked,
  });
  let replies = answer.replies;
  const llm = ctx.services.llm;
  if (llm && answer.answered) {
    const { name, phone, email } = ctx.customer;
    const draft = await llm.draft(question, answer.sources, ctx.locale, { name, phone, email });
    // The drafted words lead; the product cards (the grounded facts) follow with the one set of buttons.
    if (draft) {
      const cards = answer.products.map((p) => productCard(ctx, p).text);
      const buttons = replies[0]?.buttons ?? [];
      replies =
        cards.length > 0 ? [{ text: draft }, { text: cards.join('\n\n'), buttons }] : [{ text: draft, buttons }];
    }
  }
  return { type: 'done', replies, understood: answer.answered };
}

export const presaleFallback: Fallback = (ctx) => respondToQuestion(ctx, ctx.text);

export const presaleFlow = defineCommand({
  name: 'presale',
  triggers: { commands: ['商品咨询', '售前咨询', '咨询商品', '/products', 'products'], intents: ['presale'] },
  actions: presaleActions,
  async run(ctx, action) {
    if (action?.kind === 'ask') {
      const product = await ctx.services.knowledge.product(action.sku);
      if (!product) return { type: 'done', replies: [{ text: ctx.t(text.gone) }] };
      ctx.services.interest.note(ctx.turn, {
        text: ctx.text,
        productIds: [product.id],
        skus: [product.sku],
        faqIds: [],
        confidence: 1,
        answered: true,
        via: 'select',
      });
      return {
        type: 'done',
        replies: [{ text: ctx.t(text.selected, { name: productName(product, ctx) }) }, productCard(ctx, product)],
      };
    }
    if (ctx.inbound.action || escapeFlow(ctx.text) === 'presale') {
      return { type: 'done', replies: [{ text: ctx.t(text.prompt) }] };
    }
    return respondToQuestion(ctx, ctx.text);
  },
});
