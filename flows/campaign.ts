// Presses on campaign buttons (data `campaign:<deliveryId>:<button>`): counted as a click once,
// then whatever the seller attached to the button runs (e.g. a product question or the points menu).
import { z } from 'zod';
import { defineFlow, parseAction } from '../src/core/flow.ts';
import { msg } from '../src/kernel/i18n.ts';

const thanks = msg('收到！有什么想了解的，直接问我就好。', 'Got it! Ask me anything about it.');

export const campaignFlow = defineFlow({
  name: 'campaign',
  triggers: {},
  state: z.null(),
  async start(ctx, input) {
    const [delivery = '', index = '0'] = (input ?? '').split(':');
    const deliveryId = Number(delivery);
    const action = Number.isInteger(deliveryId)
      ? await ctx.services.campaigns.recordClick(deliveryId, ctx.customer.id, Number(index))
      : undefined;
    if (action) {
      const next = parseAction(action);
      return { type: 'switch', flow: next.flow, ...(next.payload ? { input: next.payload } : {}) };
    }
    return { type: 'done', replies: [{ text: ctx.t(thanks) }] };
  },
  async handle(ctx) {
    return this.start(ctx, undefined);
  },
});
