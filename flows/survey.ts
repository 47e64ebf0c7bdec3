// Survey answers: buttons carry `survey:<responseId>:<questionId>:<value>` (built by the survey
// service); when the next question is free text the flow stays active and takes the customer's next
// message as the answer.
import { z } from 'zod';
import { type ActionOf, action, defineActions, wireInt } from '../src/core/actions.ts';
import { defineFlow, type FlowContext, type FlowResult } from '../src/core/flow.ts';
import { QuestionId } from '../src/crm/survey-questions.ts';

export const surveyActions = defineActions(
  'survey',
  [action('answer', { responseId: wireInt, questionId: QuestionId, value: z.string().min(1) })],
  { bare: 'answer' },
);
type Answer = ActionOf<typeof surveyActions>;

const State = z.object({ responseId: z.number().int().positive(), questionId: z.string().min(1).max(16) });
type State = z.infer<typeof State>;

async function answer(
  ctx: FlowContext,
  { responseId, questionId, value }: Omit<Answer, 'kind'>,
): Promise<FlowResult<State>> {
  const result = await ctx.services.surveys.answer(ctx.customer.id, responseId, questionId, value, ctx.locale);
  const replies = result.replies.map((r) => ({ ...r, private: true }));
  if (result.status === 'saved' && result.next?.type === 'text') {
    return { type: 'continue', replies, state: { responseId, questionId: result.next.id } };
  }
  return { type: 'done', replies };
}

export const surveyFlow = defineFlow({
  name: 'survey',
  state: State,
  actions: surveyActions,
  async start(ctx, action) {
    return action ? answer(ctx, action) : { type: 'done', replies: [] };
  },
  async handle(ctx, state, action) {
    // A button of this (or an older) survey pressed while waiting for text.
    if (action) return answer(ctx, action);
    if (!ctx.text.trim()) return { type: 'continue', replies: [], state };
    return answer(ctx, { ...state, value: ctx.text });
  },
});
