// The router on its own: the shop's real flows, escape words and classifier, no database. Each
// message is the narrow value the pipeline hands the router (text, pressed button, active flow).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presaleFallback } from '../../flows/presale.ts';
import { flows, interruptingFlows, preemptingFlows } from '../../flows/registry.ts';
import { createClassifier } from '../../src/ai/classifier.ts';
import { defineCommand } from '../../src/core/flow.ts';
import { type RouteInput, Router, type RouterOptions, routingOrder, routingStages } from '../../src/core/router.ts';

const shop: RouterOptions = {
  flows,
  interrupting: interruptingFlows,
  preempting: preemptingFlows,
  classifier: createClassifier(undefined),
  fallbacks: [presaleFallback],
};
const router = new Router(shop);
const route = (input: RouteInput) => router.route(input);

/** A conversation in the after-sale flow, waiting for the description. */
const inAfterSale = {
  flow: 'aftersale',
  state: { step: 'description', type: 'return', orderNo: 'DEMO-1003', itemId: 5, reason: 'size' },
};
const inSurvey = { flow: 'survey', state: { responseId: 12, questionId: 'comment' } };
const inProfile = { flow: 'profile', state: { step: 'phone', attempts: 0 } };

describe('routing order', () => {
  it('is documented in docs/architecture.md exactly as the router declares it', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/architecture.md'), 'utf8');
    const section = /### Routing order\n([\s\S]*?)(?=\n### )/.exec(doc)?.[1] ?? '';
    const listed = section.split('\n').filter((line) => /^\d+\. /.test(line));
    const expected = routingOrder.map((name, i) => `${i + 1}. **${name}** — ${routingStages[name].summary}.`);
    expect(listed).toEqual(expected);
  });
});

describe('action stage', () => {
  it('starts the flow of a pressed button with its typed action', async () => {
    expect(await route({ text: 'DEMO-1003 连衣裙', action: 'aftersale:order:DEMO-1003' })).toMatchObject({
      kind: 'start',
      stage: 'action',
      flow: 'aftersale',
      action: { kind: 'order', orderNo: 'DEMO-1003' },
    });
    expect(await route({ text: '🎁 积分', action: 'loyalty:confirm:3:abcdef123456' })).toMatchObject({
      flow: 'loyalty',
      action: { kind: 'confirm', rewardId: 3, nonce: 'abcdef123456' },
    });
  });

  it('resumes the active flow with the action when the button is one of its own', async () => {
    expect(await route({ text: '跳过', action: 'aftersale:skip', active: inAfterSale })).toMatchObject({
      kind: 'resume',
      stage: 'action',
      flow: 'aftersale',
      action: { kind: 'skip' },
    });
    // A survey button while the survey waits for a typed answer.
    expect(await route({ text: '😀 5', action: 'survey:12:csat:5', active: inSurvey })).toMatchObject({
      kind: 'resume',
      flow: 'survey',
      action: { kind: 'answer', responseId: 12, questionId: 'csat', value: '5' },
    });
  });

  it('leaves the active flow for a button of another flow', async () => {
    expect(await route({ text: '📦 我的订单', action: 'orders', active: inAfterSale })).toMatchObject({
      kind: 'start',
      stage: 'action',
      flow: 'orders',
      action: undefined,
    });
  });

  it('reads the data of buttons already sent, in every format they were built in', async () => {
    const cases: Array<[string, string, object | undefined]> = [
      ['orders:DEMO-1002', 'orders', { kind: 'show', orderNo: 'DEMO-1002' }],
      ['orders:list', 'orders', { kind: 'list' }],
      ['orders:notify-off', 'orders', { kind: 'notify-off' }],
      ['aftersale:case:AS20260302-0001', 'aftersale', { kind: 'case', caseNo: 'AS20260302-0001' }],
      ['aftersale:type:exchange', 'aftersale', { kind: 'type', type: 'exchange' }],
      ['aftersale:item:42', 'aftersale', { kind: 'item', itemId: 42 }],
      ['survey:7:note:a: b', 'survey', { kind: 'answer', responseId: 7, questionId: 'note', value: 'a: b' }],
      ['campaign:31:2', 'campaign', { kind: 'click', deliveryId: 31, button: 2 }],
      ['presale:ask:TS-001', 'presale', { kind: 'ask', sku: 'TS-001' }],
      ['profile:name', 'profile', { kind: 'name' }],
      ['loyalty:redeem:4', 'loyalty', { kind: 'redeem', rewardId: 4 }],
      ['broadcast:to:dormant', 'broadcast', { kind: 'to', audience: 'dormant' }],
      ['broadcast:confirm:9', 'broadcast', { kind: 'confirm', campaignId: 9 }],
      ['human', 'human', undefined],
      ['menu', 'menu', undefined],
    ];
    for (const [data, flow, action] of cases) {
      expect(await route({ text: 'label', action: data }), data).toMatchObject({
        kind: 'start',
        stage: 'action',
        flow,
        action,
      });
    }
  });

  it('treats a payload its flow does not accept as no button of that flow, and routes the label', async () => {
    for (const data of [
      'aftersale:type:teleport',
      'aftersale:item:abc',
      'loyalty:confirm:3:NOT-HEX',
      'loyalty:cancel:extra',
      'campaign:x:1',
      'broadcast:to:everyone',
      'menu:whatever',
      'survey:1:BAD ID:5',
      'nosuch:flow',
    ]) {
      const result = await route({ text: '人工', action: data });
      expect(result, data).toMatchObject({ kind: 'start', stage: 'interrupting command', flow: 'human' });
    }
    // Inside a flow, a bad payload of that flow does not reach its next step either.
    expect(await route({ text: 'xyz', action: 'aftersale:item:abc', active: inAfterSale })).toMatchObject({
      kind: 'fallback',
    });
  });
});

describe('deep link stage', () => {
  it('starts the named flow with the action the link carries', async () => {
    expect(await route({ text: '/start loyalty_ref-AB12CD' })).toMatchObject({
      kind: 'start',
      stage: 'deep link',
      flow: 'loyalty',
      action: { kind: 'ref', code: 'AB12CD' },
    });
    expect(await route({ text: '/start@guanxi_bot orders_DEMO-1002' })).toMatchObject({
      flow: 'orders',
      action: { kind: 'show', orderNo: 'DEMO-1002' },
    });
    expect(await route({ text: '/start profile', active: inAfterSale })).toMatchObject({
      stage: 'deep link',
      flow: 'profile',
      action: undefined,
    });
  });

  it('starts the flow plainly when the payload is not one of its actions, and ignores unknown flows', async () => {
    expect(await route({ text: '/start loyalty_ref-!' })).toMatchObject({ flow: 'loyalty', action: undefined });
    expect(await route({ text: '/start start' })).toMatchObject({ stage: 'interrupting command', flow: 'menu' });
  });
});

describe('preempting stage', () => {
  it('catches a complaint before anything else, even inside another flow', async () => {
    expect(await route({ text: '太差劲了，我要投诉你们', active: inAfterSale })).toMatchObject({
      kind: 'start',
      stage: 'preempting',
      flow: 'complaint',
    });
  });

  it('does not read a button label as a complaint', async () => {
    expect(await route({ text: '我要投诉', action: 'aftersale:skip', active: inAfterSale })).toMatchObject({
      stage: 'action',
      flow: 'aftersale',
    });
  });
});

describe('interrupting commands (escape words)', () => {
  it('leave any active flow', async () => {
    const escapes: Array<[string, string]> = [
      ['人工', 'human'],
      ['取消', 'cancel'],
      ['菜单', 'menu'],
      ['/start', 'menu'],
      ['退订', 'unsubscribe'],
      ['English', 'language'],
      ['帮助', 'help'],
    ];
    // These words are escape words too (src/ai/phrases.ts, issue 15), which claim them one stage earlier.
    for (const active of [inAfterSale, inSurvey, inProfile]) {
      for (const [text, flow] of escapes) {
        expect(await route({ text, active }), `${text} in ${active.flow}`).toMatchObject({
          kind: 'start',
          stage: 'escape word',
          flow,
        });
      }
    }
  });
});

describe('active flow stage', () => {
  it('gives typed text to the active flow before other commands, patterns and the classifier', async () => {
    // (Main-menu labels such as 积分 or 我的订单 are escape words: they leave the flow, see above.)
    for (const text of ['裙子太小了', '签到', '订单', '关闭订单通知']) {
      expect(await route({ text, active: inAfterSale }), text).toMatchObject({
        kind: 'resume',
        stage: 'active flow',
        flow: 'aftersale',
        action: undefined,
      });
    }
  });

  it('starts the flow over when its stored state no longer matches', async () => {
    expect(await route({ text: '13812345678', active: { flow: 'profile', state: { step: 'age' } } })).toMatchObject({
      kind: 'start',
      stage: 'active flow',
      flow: 'profile',
      restart: true,
    });
    // A stale state with one of the flow's buttons keeps the button's action.
    expect(
      await route({ text: '✏️', action: 'profile:name', active: { flow: 'profile', state: 'garbage' } }),
    ).toMatchObject({ kind: 'start', stage: 'action', restart: true, action: { kind: 'name' } });
  });

  it('ignores an active flow that is no longer registered', async () => {
    expect(await route({ text: '签到', active: { flow: 'retired', state: null } })).toMatchObject({
      stage: 'command',
      flow: 'loyalty',
    });
  });
});

describe('command, pattern, intent, fallback and not understood', () => {
  it('matches commands exactly, case-insensitively, with a bot mention or a slash argument', async () => {
    expect(await route({ text: '签到' })).toMatchObject({ stage: 'command', flow: 'loyalty', action: undefined });
    expect(await route({ text: 'CHECK IN' })).toMatchObject({ stage: 'command', flow: 'loyalty' });
    expect(await route({ text: '/points@guanxi_bot' })).toMatchObject({ stage: 'command', flow: 'loyalty' });
    expect(await route({ text: '/orders DEMO-1002' })).toMatchObject({
      stage: 'command',
      flow: 'orders',
      action: { kind: 'show', orderNo: 'DEMO-1002' },
    });
    expect(await route({ text: '/profile name' })).toMatchObject({ flow: 'profile', action: { kind: 'name' } });
    // An argument that is no action of the flow starts it plainly.
    expect(await route({ text: '/points lots please' })).toMatchObject({ flow: 'loyalty', action: undefined });
  });

  it('starts a flow whose pattern matches', async () => {
    expect(await route({ text: '麻烦帮我关闭订单通知' })).toMatchObject({ stage: 'pattern', flow: 'orders' });
    expect(await route({ text: '我等了很久了，麻烦帮我转人工客服处理一下退款的问题吧' })).toMatchObject({
      stage: 'pattern',
      flow: 'human',
    });
  });

  it('asks the classifier, above its confidence threshold only', async () => {
    expect(await route({ text: '我要退货' })).toMatchObject({ stage: 'intent', flow: 'aftersale' });
    expect(await route({ text: '我的快递到哪了' })).toMatchObject({ stage: 'intent', flow: 'orders' });
    const strict = new Router({ ...shop, intentThreshold: 0.95 });
    expect(await strict.route({ text: '我要退货' })).toMatchObject({ kind: 'fallback', stage: 'fallback' });
  });

  it('leaves other text to the fallbacks, and nothing to "not understood"', async () => {
    expect(await route({ text: '有M码吗' })).toMatchObject({ kind: 'fallback', stage: 'fallback' });
    expect(await route({ text: '   ' })).toEqual({ kind: 'unknown', stage: 'not understood' });
    const bare = new Router({ flows });
    expect(await bare.route({ text: '有M码吗' })).toEqual({ kind: 'unknown', stage: 'not understood' });
  });
});

describe('router set-up', () => {
  it('refuses a flow registered twice and routing lists naming unknown flows', () => {
    const ping = defineCommand({
      name: 'ping',
      async run() {
        return { type: 'done', replies: [] };
      },
    });
    expect(() => new Router({ flows: [ping, ping] })).toThrow(/registered twice/);
    expect(() => new Router({ flows: [ping], interrupting: ['pong'] })).toThrow(/pong/);
    expect(() => new Router({ flows: [ping], preempting: ['pong'] })).toThrow(/pong/);
  });
});
