// Turns a customer question into one reply: the understanding (questions, products, what is asked,
// FAQs, calibrated confidence) is src/ai/answer.ts, the words src/ai/presale-reply.ts; this file
// supplies the conversation's context (the product discussed before, the shop's threshold).
import { z } from 'zod';
import { type AnswerPlan, planAnswer } from '../src/ai/answer.ts';
import { splitClauses } from '../src/ai/clauses.ts';
import {
  productCard as card,
  faqAnswer as faqText,
  productName as name,
  type PresaleButtons,
  renderAnswer,
} from '../src/ai/presale-reply.ts';
import { action, defineActions } from '../src/core/actions.ts';
import type { FlowContext } from '../src/core/flow.ts';
import type { Faq, Product } from '../src/crm/records.ts';
import type { Reply } from '../src/domain/messages.ts';
import { flowButton } from './names.ts';

/** The pre-sale flow's buttons: "加入咨询" on a product card picks that product (`presale:ask:<sku>`). */
export const presaleActions = defineActions('presale', [action('ask', { sku: z.string().min(1).max(64) })]);

/** The buttons of a pre-sale reply, typed by their flows' declarations. */
const buttons: PresaleButtons = {
  ask: (label, sku) => presaleActions.button(label, { kind: 'ask', sku }),
  staff: (label) => flowButton(label, 'human'),
  menu: (label) => flowButton(label, 'menu'),
};

export function productName(product: Product, ctx: Pick<FlowContext, 'locale'>): string {
  return name(product, ctx.locale);
}

export function productCard(ctx: FlowContext, product: Product): Reply {
  return card(product, ctx.locale, buttons);
}

export function faqAnswer(ctx: FlowContext, faq: Faq): string {
  return faqText(faq, ctx.locale);
}

/** Clauses of a multi-part question: "连衣裙多少钱，包邮吗" → ["连衣裙多少钱", "包邮吗"]. */
export const clauses = splitClauses;

export interface PresaleAnswer {
  replies: Reply[];
  products: Product[];
  faqs: Faq[];
  confidence: number;
  answered: boolean;
  /** What was understood (price, stock, size, color, spec, product, faq:<category>). */
  asked: string[];
  /** The grounded sources an LLM may rephrase (nothing else). */
  sources: string[];
}

function plan(ctx: FlowContext, question: string): Promise<AnswerPlan> {
  return planAnswer(question, ctx.services.knowledge, {
    minConfidence: ctx.services.understanding.answerMinConfidence,
    contextProduct: async () => {
      const sku = await ctx.services.interest.lastProductSku(ctx.customer.id);
      return sku ? ctx.services.knowledge.product(sku) : undefined;
    },
  });
}

export async function answerQuestion(ctx: FlowContext, question: string): Promise<PresaleAnswer> {
  const planned = await plan(ctx, question);
  const products = planned.parts.flatMap((p) => (p.kind === 'product' ? [p.product] : []));
  const faqs = planned.parts.flatMap((p) => (p.kind === 'faq' ? [p.faq] : []));
  return {
    replies: [renderAnswer(planned, ctx.locale, buttons)],
    products,
    faqs,
    confidence: planned.confidence,
    answered: planned.parts.length > 0,
    asked: planned.asked,
    sources: [...products.map((p) => card(p, ctx.locale, buttons).text), ...faqs.map((f) => faqText(f, ctx.locale))],
  };
}

/**
 * FAQ answers for the side questions of a message another flow handles ("订单…到哪了，另外可以开发票吗"):
 * clauses `skip` rejects (the part that flow answers) are left out. Noted in the profile like any
 * pre-sale question.
 */
export async function sideQuestionReplies(
  ctx: FlowContext,
  message: string,
  skip: (clause: string) => boolean,
): Promise<Reply[]> {
  const parts = splitClauses(message);
  if (parts.length < 2) return [];
  const side = parts.filter((part) => !skip(part));
  if (side.length === 0) return [];
  const planned = await plan(ctx, side.join('；'));
  const faqs = planned.parts.flatMap((p) => (p.kind === 'faq' ? [p.faq] : []));
  if (faqs.length === 0) return [];
  ctx.services.interest.note(ctx.turn, {
    text: message,
    productIds: [],
    skus: [],
    faqIds: faqs.map((f) => f.id),
    confidence: planned.confidence,
    answered: true,
    asked: faqs.map((f) => `faq:${f.category ?? f.id}`),
  });
  return [{ text: faqs.map((f) => faqText(f, ctx.locale)).join('\n\n') }];
}
