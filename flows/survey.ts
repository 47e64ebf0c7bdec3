// Survey answers: buttons carry `survey:<responseId>:<questionId>:<value>`; when the next question is
// free text the flow stays active and takes the customer's next message as the answer.
import { z } from 'zod';
import { defineFlow, type FlowContext, type FlowResult } from '../src/core/flow.ts';

const State = z.object({ responseId: z.number().int().positive(), questionId: z.string().min(1).max(16) });
type State = z.infer<typeof State>;

function parse(payload: string | undefined): { responseId: number; questionId: string; value: string } | null {
  const match = /^(\d+):([a-z0-9_]{1,16}):(.+)$/s.exec(payload ?? '');
  if (!match?.[1] || !match[2] || match[3] === undefined) return null;
  return { responseId: Number(match[1]), questionId: match[2], value: match[3] };
}

async function answer(
  ctx: FlowContext,
  responseId: number,
  questionId: string,
  value: string,
): Promise<FlowResult<State>> {
  const result = await ctx.services.surveys.answer(ctx.customer.id, responseId, questionId, value, ctx.locale);
  const replies = result.replies.map((r) => ({ ...r, private: true }));
  if (result.status === 'saved' && result.next?.type === 'text') {
    return { type: 'continue', replies, state: { responseId, questionId: result.next.id } };
  }
  return { type: 'done', replies };
}

export const surveyFlow = defineFlow<State>({
  name: 'survey',
  triggers: {},
  state: State,
  async start(ctx, input) {
    const parsed = parse(input);
    if (!parsed) return { type: 'done', replies: [] };
    return answer(ctx, parsed.responseId, parsed.questionId, parsed.value);
  },
  async handle(ctx, state) {
    // A button of this (or an older) survey pressed while waiting for text.
    const action = ctx.inbound.action?.data;
    if (action?.startsWith('survey:')) {
      const parsed = parse(action.slice('survey:'.length));
      if (parsed) return answer(ctx, parsed.responseId, parsed.questionId, parsed.value);
    }
    if (!ctx.text.trim()) return { type: 'continue', replies: [], state };
    return answer(ctx, state.responseId, state.questionId, ctx.text);
  },
});
