// Flow actions on the wire: buttons built from a flow's declaration read back as the same typed
// action, in the compact format Telegram, WeChat and webchat carry; anything else reads as "not an
// action of this flow", never as an error.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FlowName } from '../../flows/names.ts';
import { flows } from '../../flows/registry.ts';
import { action, defineActions, splitButtonData, wireInt } from '../../src/core/actions.ts';
import { questionReply } from '../../src/crm/survey-questions.ts';

const orders = defineActions('orders', [action('list'), action('show', { orderNo: z.string().min(1).max(64) })], {
  bare: 'show',
});
const shop = defineActions('shop', [
  action('pick', { sku: z.string().min(1) }),
  action('rate', { itemId: wireInt, stars: z.enum(['1', '2', '3']), note: z.string() }),
  action('ref', { code: z.string().regex(/^[A-Za-z0-9]{4,20}$/) }),
]);

const payload = (data: string) => splitButtonData(data).payload ?? '';

describe('flow actions', () => {
  it('builds compact button data and reads it back typed', () => {
    const button = shop.button('★★', { kind: 'rate', itemId: 12, stars: '2', note: 'fits: well' });
    expect(button).toEqual({ label: '★★', data: 'shop:rate:12:2:fits: well' });
    expect(shop.read(payload(button.data), 'button')).toEqual({
      kind: 'rate',
      itemId: 12,
      stars: '2',
      note: 'fits: well',
    });
    expect(shop.button('Shop')).toEqual({ label: 'Shop', data: 'shop' });
    expect(Buffer.byteLength(shop.data({ kind: 'rate', itemId: 123456, stars: '3', note: '' }))).toBeLessThanOrEqual(
      64,
    );
  });

  it('writes the bare action without its kind, unless that would read as another action', () => {
    expect(orders.data({ kind: 'show', orderNo: 'DEMO-1002' })).toBe('orders:DEMO-1002');
    expect(orders.read('DEMO-1002', 'button')).toEqual({ kind: 'show', orderNo: 'DEMO-1002' });
    expect(orders.read('show:DEMO-1002', 'button')).toEqual({ kind: 'show', orderNo: 'DEMO-1002' });
    expect(orders.data({ kind: 'show', orderNo: 'list' })).toBe('orders:show:list');
    expect(orders.read('show:list', 'button')).toEqual({ kind: 'show', orderNo: 'list' });
    expect(orders.read('list', 'button')).toEqual({ kind: 'list' });
  });

  it('reads anything else as no action of the flow, without throwing', () => {
    for (const bad of [
      '',
      'rate',
      'rate:12',
      'rate:x:2:ok',
      'rate:12:5:ok',
      'pick',
      'list',
      'ref:a',
      'kind:pick',
      '::::',
    ]) {
      expect(shop.read(bad, 'button'), bad).toBeUndefined();
    }
    expect(shop.read('rate:-1:1:x', 'button')).toBeUndefined();
    expect(shop.read('rate:1.5:1:x', 'button')).toBeUndefined();
  });

  it('refuses to build data whose fields would not read back', () => {
    expect(() => shop.data({ kind: 'rate', itemId: 1.5, stars: '1', note: '' })).toThrow();
    expect(() =>
      defineActions('x', [action('a', { one: z.string(), two: z.string() })]).data({ kind: 'a', one: 'a:b', two: '' }),
    ).toThrow(/contains ":"/);
  });

  it('writes deep links with the characters Telegram allows, and reads them back', () => {
    expect(shop.deepLink({ kind: 'ref', code: 'AB12CD' })).toBe('shop_ref-AB12CD');
    expect(shop.read('ref-AB12CD', 'deeplink')).toEqual({ kind: 'ref', code: 'AB12CD' });
    expect(shop.deepLink()).toBe('shop');
    expect(() => shop.deepLink({ kind: 'pick', sku: 'a b' })).toThrow(/Telegram/);
  });
});

describe('the shop flows', () => {
  it('are the flows names.ts lists, each once', () => {
    expect(flows.map((f) => f.name).sort()).toEqual([...FlowName.options].sort());
  });

  it('accept the survey buttons the survey service builds', () => {
    const survey = flows.find((f) => f.name === 'survey');
    const question = {
      id: 'fit',
      type: 'choice',
      text: { 'zh-CN': '合身吗', en: 'Fits?' },
      options: [
        { value: 'small', label: { 'zh-CN': '偏小', en: 'Small' } },
        { value: 'ok', label: { 'zh-CN': '合适', en: 'Fine' } },
      ],
    } as const;
    for (const reply of [
      questionReply(41, { id: 'csat', type: 'csat', text: { 'zh-CN': '满意吗', en: 'Happy?' } }, 0, 3, 'en'),
      questionReply(41, { id: 'nps', type: 'nps', text: { 'zh-CN': '推荐吗', en: 'Recommend?' } }, 1, 3, 'en'),
      questionReply(41, { ...question, options: [...question.options] }, 2, 3, 'en'),
      questionReply(41, { id: 'note', type: 'text', text: { 'zh-CN': '建议', en: 'Anything else?' } }, 2, 3, 'en'),
    ]) {
      for (const button of reply.buttons ?? []) {
        const { flow, payload } = splitButtonData(button.data);
        expect(flow).toBe('survey');
        expect(survey?.accept(payload)?.action, button.data).toMatchObject({ kind: 'answer', responseId: 41 });
      }
    }
  });
});
