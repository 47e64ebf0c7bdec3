// Presses on campaign buttons (data `campaign:<deliveryId>:<button>`, built by the campaign runner):
// counted as a click once, then whatever the seller attached to the button runs (e.g. a product
// question or the points menu).
import { action, defineActions, splitButtonData, wireInt } from '../src/core/actions.ts';
import { defineCommand } from '../src/core/flow.ts';
import { msg } from '../src/kernel/i18n.ts';

const thanks = msg('收到！有什么想了解的，直接问我就好。', 'Got it! Ask me anything about it.');

export const campaignActions = defineActions('campaign', [action('click', { deliveryId: wireInt, button: wireInt })], {
  bare: 'click',
});

export const campaignFlow = defineCommand({
  name: 'campaign',
  actions: campaignActions,
  async run(ctx, action) {
    const next = action
      ? await ctx.services.campaigns.recordClick(action.deliveryId, ctx.customer.id, action.button)
      : undefined;
    if (next) {
      const { flow, payload } = splitButtonData(next);
      return { type: 'switch', flow, ...(payload ? { input: payload } : {}) };
    }
    return { type: 'done', replies: [{ text: ctx.t(thanks) }] };
  },
});
