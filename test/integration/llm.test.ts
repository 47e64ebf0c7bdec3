// The optional LLM against a local fake OpenAI-compatible server: grounded drafts are used; invented
// numbers, invalid output, errors and timeouts all fall back to the deterministic answer.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isGrounded } from '../../src/ai/llm.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.ts';

describe('LLM drafting, classification and extraction (fake server)', () => {
  let fake: FakeOpenAI;
  let t: TestApp;
  let visitor = 0;
  const next = () => `llm-${++visitor}`;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp({
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'fake', OPENAI_TIMEOUT_MS: '2000' },
    });
    await seedDemo(t.app.services, t.app.clock);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('uses a grounded draft and keeps the product card', async () => {
    fake.respond((r) =>
      r.purpose === 'draft'
        ? JSON.stringify({ answer: '这款纯棉圆领T恤售价¥79.00，库存120件，放心下单～', grounded: true })
        : '{}',
    );
    const res = await t.say(next(), '纯棉圆领T恤多少钱');
    expect(res.replies[0]?.text).toBe('这款纯棉圆领T恤售价¥79.00，库存120件，放心下单～');
    expect(res.text).toContain('商品编号：TS-001');
    const draft = fake.requests.find((r) => r.purpose === 'draft');
    expect(draft?.user).toContain('¥79.00');
  });

  it('rejects a draft that invents a price and answers deterministically', async () => {
    fake.respond((r) =>
      r.purpose === 'draft' ? JSON.stringify({ answer: '今天特价只要¥59！', grounded: true }) : '{}',
    );
    const res = await t.say(next(), '纯棉圆领T恤多少钱');
    expect(res.text).not.toContain('¥59');
    expect(res.text).toContain('纯棉圆领T恤 售价 ¥79.00');
  });

  it('falls back on invalid output, HTTP errors and timeouts', async () => {
    fake.respond(() => 'not json at all');
    expect((await t.say(next(), '包邮吗')).text).toContain('满99元包邮');
    fake.respond(() => JSON.stringify({ answer: 42 }));
    expect((await t.say(next(), '包邮吗')).text).toContain('满99元包邮');
    fake.respond(() => ({ status: 500 }));
    expect((await t.say(next(), '包邮吗')).text).toContain('满99元包邮');
    fake.respond(() => ({ delayMs: 60_000 }));
    expect((await t.say(next(), '包邮吗')).text).toContain('满99元包邮');
    expect(fake.requests.filter((r) => r.purpose === 'draft').length).toBe(4);
  });

  it('does not call the model when retrieval has nothing to ground an answer in', async () => {
    fake.respond((r) => (r.purpose === 'classify' ? JSON.stringify({ intent: 'other', confidence: 0.9 }) : '{}'));
    const res = await t.say(next(), '你们卖猫粮吗');
    expect(res.text).toContain('不太确定');
    expect(fake.requests.some((r) => r.purpose === 'draft')).toBe(false);
  });

  it('classifies what the rules cannot place, and extracts only order numbers present in the text', async () => {
    fake.respond((r) => {
      if (r.purpose === 'classify') return JSON.stringify({ intent: 'orders', confidence: 0.92 });
      if (r.purpose === 'extract') return JSON.stringify({ orderNo: 'DEMO-1002' });
      return '{}';
    });
    const res = await t.say('demo-lihua', '东西买了好几天一直没动静，帮我看看');
    // The model's "DEMO-1002" is not in the message, so it is ignored: the customer sees the order list.
    expect(res.text).toContain('你最近的订单');
    expect(res.conversation?.flow).toBeNull();
    expect(fake.requests.map((r) => r.purpose)).toEqual(['classify', 'extract']);
  });

  it('escalates what the model reads as a complaint, with a complaint case, and not below the threshold', async () => {
    const visitorId = next();
    fake.respond((r) => (r.purpose === 'classify' ? JSON.stringify({ intent: 'complaint', confidence: 0.3 }) : '{}'));
    expect((await t.say(visitorId, '这次的体验真的不太好，希望你们重视一下')).conversation?.status).toBe('bot');
    fake.respond((r) => (r.purpose === 'classify' ? JSON.stringify({ intent: 'complaint', confidence: 0.93 }) : '{}'));
    const res = await t.say(visitorId, '这次的体验真的不太好，希望你们重视一下');
    expect(res.conversation?.status).toBe('pending');
    expect(res.text).toMatch(/TS\d{8}-\d{4}/);
    const cases = await t.admin('GET', '/api/cases?type=complaint');
    expect(JSON.stringify(cases.body)).toContain((/TS\d{8}-\d{4}/.exec(res.text) ?? [''])[0]);
  });

  it('ignores a classification with an unknown intent', async () => {
    fake.respond((r) => (r.purpose === 'classify' ? JSON.stringify({ intent: 'weather', confidence: 1 }) : '{}'));
    const res = await t.say(next(), '今天天气怎么样');
    expect(res.text).toContain('不太确定');
  });
});

describe('grounding check', () => {
  it('accepts numbers from the sources in any format and rejects new ones', () => {
    const sources = ['价格：¥79.00\n库存：有货（120 件）', '全场满99元包邮'];
    expect(isGrounded('售价79元，满99包邮，还有120件', sources)).toBe(true);
    expect(isGrounded('只要59元', sources)).toBe(false);
    expect(isGrounded('有货哦', sources)).toBe(true);
  });
});
