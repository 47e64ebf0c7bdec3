// The LLM output guard and PII masking (issue 14, finding 7) through the webchat route, on both
// databases, against a local fake OpenAI server that returns each attack: a draft is sent only when
// every claim in it is in the retrieved sources; otherwise the customer gets the deterministic answer.
// The customer's personal data never reaches the provider, for drafts and for the classifier.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chineseNumeral, draftProblem } from '../../src/ai/draft-guard.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { maskPersonalData } from '../../src/kernel/pii-mask.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.ts';

const deterministic = '纯棉圆领T恤 售价 ¥79.00';

describeEachProvider('LLM output guard and PII masking', (provider) => {
  let fake: FakeOpenAI;
  let t: TestApp;
  let visitor = 0;
  const next = () => `guard-${++visitor}`;
  const drafting = (answer: string) =>
    fake.respond((r) => (r.purpose === 'draft' ? JSON.stringify({ answer, grounded: true }) : '{}'));

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp({
      provider,
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'fake', OPENAI_TIMEOUT_MS: '2000' },
    });
    await seedDemo(t.app.services, t.app.clock);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('a grounded draft still reaches the customer', async () => {
    drafting('这款纯棉圆领T恤售价¥79.00，库存120件，放心下单～');
    const res = await t.say(next(), '纯棉圆领T恤多少钱');
    expect(res.replies[0]?.text).toBe('这款纯棉圆领T恤售价¥79.00，库存120件，放心下单～');
  });

  for (const [attack, answer] of [
    ['points promised in Chinese numerals', '这款T恤¥79.00，今天下单再送您一万积分！'],
    ['a discount the shop never offered', '纯棉圆领T恤全场五折，¥79.00的东西只要一半价钱'],
    ['a refund promise', '纯棉圆领T恤¥79.00，不满意全额退款'],
    ['a coupon', '纯棉圆领T恤¥79.00，领券立减'],
    ['a request for the phone and address', '纯棉圆领T恤¥79.00，请留下您的手机号和收货地址，我们安排专人联系'],
    ['a link not in the sources', '纯棉圆领T恤¥79.00，详情和付款请看 https://pay.example.net/t?id=79'],
    ['the stock count as the price', '纯棉圆领T恤现在售价¥120，库存充足'],
    ['an invented number of days', '纯棉圆领T恤¥79.00，三天内必到'],
  ] as const) {
    it(`refuses ${attack} and answers deterministically`, async () => {
      drafting(answer);
      const res = await t.say(next(), '纯棉圆领T恤多少钱');
      expect(fake.requests.some((r) => r.purpose === 'draft')).toBe(true);
      expect(res.text).not.toContain(answer);
      expect(res.text).toContain(deterministic);
    });
  }

  it('masks the customer’s phone, address and name before the draft request leaves', async () => {
    drafting('这款纯棉圆领T恤售价¥79.00');
    const res = await t.say(
      next(),
      '我叫王小明，手机13812345678，寄到上海市浦东新区世纪大道100号3栋201室，纯棉圆领T恤多少钱',
    );
    expect(res.status).toBe(200);
    const sent = fake.requests.find((r) => r.purpose === 'draft')?.user ?? '';
    expect(sent).toContain('纯棉圆领T恤多少钱');
    for (const secret of ['13812345678', '王小明', '世纪大道100号', '201室']) expect(sent).not.toContain(secret);
    expect(sent).toContain('[phone]');
    expect(sent).toContain('[address]');
  });

  it('masks the name on the customer’s profile', async () => {
    const visitorId = next();
    await t.say(visitorId, '你好');
    const id = (await t.app.store.repos.customers.findIdentity('webchat', visitorId))?.customerId;
    expect((await t.admin('PATCH', `/api/customers/${id}`, { name: '欧阳娜娜' })).status).toBe(200);
    drafting('这款纯棉圆领T恤售价¥79.00');
    fake.requests.length = 0;
    await t.say(visitorId, '欧阳娜娜想问纯棉圆领T恤多少钱');
    const sent = fake.requests.find((r) => r.purpose === 'draft')?.user ?? '';
    expect(sent).toContain('[name]');
    expect(sent).not.toContain('欧阳娜娜');
  });

  it('masks personal data in what the classifier sends', async () => {
    fake.respond((r) => (r.purpose === 'classify' ? JSON.stringify({ intent: 'other', confidence: 0.9 }) : '{}'));
    await t.say(next(), '那个事情你们看看吧，我电话 139-1234-5678，邮箱 wang@example.com');
    const sent = fake.requests.find((r) => r.purpose === 'classify')?.user;
    expect(sent).toBeDefined();
    expect(sent).not.toContain('5678');
    expect(sent).not.toContain('wang@example.com');
  });
});

describe('draft guard and masking rules', () => {
  it('reads Chinese numerals', () => {
    expect([
      chineseNumeral('一万'),
      chineseNumeral('十五'),
      chineseNumeral('两百'),
      chineseNumeral('三千五百'),
    ]).toEqual([10_000, 15, 200, 3500]);
  });

  it('names the problem of each unsupported claim', () => {
    const sources = ['价格：¥79.00\n库存：有货（120 件）', '全场满99元包邮，7天无理由退换'];
    expect(draftProblem('售价79元，满99包邮，还有120件，七天无理由退换', sources)).toBeNull();
    expect(draftProblem('一起看看吧，十分推荐', sources)).toBeNull();
    expect(draftProblem('送您一万积分', sources)).toBe('promise');
    expect(draftProblem('现在1万件', sources)).toBe('number');
    expect(draftProblem('售价¥120', sources)).toBe('wrong_field');
    expect(draftProblem('请提供身份证号', sources)).toBe('personal_data');
    expect(draftProblem('see www.shop.example.com', sources)).toBe('link');
  });

  it('masks ID and card numbers, e-mail and English addresses', () => {
    const masked = maskPersonalData(
      'ID 11010519491231002X card 6222021234567890123 mail a.b@c.cn ship to 221 Baker Street please, my name is John Smith',
    );
    expect(masked).toBe('ID [id] card [card] mail [email] ship to [address] please, my name is [name]');
  });
});
