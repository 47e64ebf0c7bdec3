// The pure parts of understanding: language detection and the preference rule, the phrase sets,
// question splitting, the subject check, segmentation with shop words, and points reasons in words.
import { describe, expect, it } from 'vitest';
import { splitClauses } from '../../src/ai/clauses.ts';
import { detectLanguage, type LanguagePreference, nextPreference } from '../../src/ai/language.ts';
import { escapeFlow, handoffPatterns, loyaltyPatterns } from '../../src/ai/phrases.ts';
import { addWords, words } from '../../src/ai/segmenter.ts';
import { detectSmalltalk } from '../../src/ai/smalltalk.ts';
import { coversSubjects } from '../../src/ai/subjects.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { complaintPatterns } from '../../src/crm/complaints.ts';
import { pointsReasonText } from '../../src/crm/points-reasons.ts';

describe('language of a message', () => {
  it('is the language it is clearly written in, mixed messages going to their sentence frame', () => {
    expect(detectLanguage('How long does delivery take?')).toBe('en');
    expect(detectLanguage('包邮吗')).toBe('zh-CN');
    expect(detectLanguage('这个tee有M码吗')).toBe('zh-CN');
    expect(detectLanguage('请问 free shipping 吗')).toBe('zh-CN');
    expect(detectLanguage('how much is the 卫衣')).toBe('en');
    expect(detectLanguage('do you have the 羽绒服 in black?')).toBe('en');
  });

  it('is undecided for numbers, emoji, "ok", sizes, order numbers and bot commands', () => {
    for (const text of [
      '1',
      '👍',
      'ok',
      'OK!',
      'XL',
      'XM20250301-0042',
      'TEE-01',
      '/start',
      '/start loyalty_ref-AB12',
      'hi',
    ]) {
      expect(detectLanguage(text), text).toBeUndefined();
    }
  });
});

describe('stored language preference', () => {
  const use = (locale: 'zh-CN' | 'en', streak = 0): LanguagePreference => ({ locale, source: 'use', streak });

  it('is set by the first clear message when the shop default would be wrong, and not written otherwise', () => {
    const none: LanguagePreference = { locale: null, source: null, streak: 0 };
    expect(nextPreference('en', none, 'zh-CN')).toEqual(use('en'));
    expect(nextPreference('zh-CN', none, 'zh-CN')).toBeUndefined();
    expect(nextPreference(undefined, none, 'zh-CN')).toBeUndefined();
  });

  it('follows two clear messages in a row in the other language; one is not enough', () => {
    expect(nextPreference('zh-CN', use('en'), 'zh-CN')).toEqual(use('en', 1));
    expect(nextPreference('zh-CN', use('en', 1), 'zh-CN')).toEqual(use('zh-CN'));
    expect(nextPreference('en', use('en', 1), 'zh-CN')).toEqual(use('en'));
  });

  it('keeps an explicit choice (or one made before sources were kept)', () => {
    expect(nextPreference('en', { locale: 'zh-CN', source: 'switch', streak: 0 }, 'zh-CN')).toBeUndefined();
    expect(nextPreference('en', { locale: 'zh-CN', source: null, streak: 0 }, 'zh-CN')).toBeUndefined();
  });
});

describe('phrase sets', () => {
  const matches = (patterns: RegExp[], text: string) => patterns.some((p) => p.test(text));

  it('know the everyday and indirect ways of asking for a person', () => {
    for (const text of [
      '客服在吗',
      '有真人吗',
      '转人工',
      '人工客服呢',
      '我想跟人工聊',
      '找个活人',
      '不要机器人回复',
      'human please',
      'can I talk to a human',
      'get me an agent',
      'is there anyone I can speak to?',
      '在吗在吗 有人没',
      '能不能找个人跟我说',
    ]) {
      expect(matches(handoffPatterns, text), text).toBe(true);
    }
    for (const text of ['客服几点上班', 'what are your customer service hours', '人工费多少', '有人穿过吗']) {
      expect(matches(handoffPatterns, text), text).toBe(false);
    }
  });

  it('know indirect complaints without flagging ordinary questions', () => {
    for (const text of [
      '你们太坑了',
      '太失望了',
      '再也不会在你们家买了',
      '你们就是这样做生意的？？',
      'worst shop ever',
      'never buying from you again',
      '你们家东西跟图片差太多了吧',
      '买了三次 一次比一次差',
      'been waiting for days and nobody replies, this is a joke',
    ]) {
      expect(matches(complaintPatterns, text), text).toBe(true);
    }
    for (const text of [
      '收到衣服了',
      '退款多久到账',
      'when do I get my money back after returning',
      '你们有什么服务',
    ]) {
      expect(matches(complaintPatterns, text), text).toBe(false);
    }
  });

  it('send every main-menu label and escape word to its flow, emoji or not', () => {
    expect(escapeFlow('🔧 售后服务')).toBe('aftersale');
    expect(escapeFlow('售后服务')).toBe('aftersale');
    expect(escapeFlow('📦 My orders')).toBe('orders');
    expect(escapeFlow('🙋 人工客服')).toBe('human');
    expect(escapeFlow('退订')).toBe('unsubscribe');
    expect(escapeFlow('客服在吗')).toBe('human');
    expect(escapeFlow('客服说可以退，我的裙子破了')).toBeUndefined();
    expect(escapeFlow('张伟')).toBeUndefined();
    // A dismissal before the escape word ("算了", "不用了", "actually nvm") does not hide it.
    expect(escapeFlow('不用了 回主菜单')).toBe('menu');
    expect(escapeFlow('算了 找人工吧')).toBe('human');
    expect(escapeFlow('actually nvm, can i talk to someone')).toBe('human');
    expect(escapeFlow('算了')).toBeUndefined();
  });

  it('tell "my points" from how points work, and small talk from questions', () => {
    expect(matches(loyaltyPatterns, '我现在有多少积分了')).toBe(true);
    expect(matches(loyaltyPatterns, '积分怎么算的')).toBe(false);
    expect(matches(loyaltyPatterns, 'do I have any points left?')).toBe(true);
    expect(matches(loyaltyPatterns, '今天签个到')).toBe(true);
    expect(matches(loyaltyPatterns, '签到有积分吗')).toBe(false);
    expect(detectSmalltalk('好嘞 谢谢亲🙏')).toBe('ack');
    expect(detectSmalltalk('ok cool thx')).toBe('ack');
    expect(detectSmalltalk('谢谢')).toBe('thanks');
    expect(detectSmalltalk('👍')).toBe('ack');
    expect(detectSmalltalk('ok 包邮吗')).toBeUndefined();
  });
});

describe('questions of one message', () => {
  it('are split at punctuation, spaces between Chinese phrases and joiners, but not inside a question', () => {
    expect(splitClauses('T恤多少钱，包邮吗')).toEqual(['T恤多少钱', '包邮吗']);
    expect(splitClauses('牛仔裤多少钱 包邮不 能开票吗')).toEqual(['牛仔裤多少钱', '包邮不', '能开票吗']);
    expect(splitClauses('运费多少？还有退款多久到账')).toEqual(['运费多少', '退款多久到账']);
    expect(splitClauses('运动鞋还有货吗')).toEqual(['运动鞋还有货吗']);
    expect(splitClauses('how much are the shoes and is shipping free?')).toEqual([
      'how much are the shoes',
      'is shipping free',
    ]);
    expect(splitClauses('do you have it in black and white')).toEqual(['do you have it in black and white']);
  });
});

describe('subject check', () => {
  const delivery =
    '16点前付款当天发货。江浙沪一般1-2天送达，其他省份2-4天。Delivery takes 2-4 days to other provinces.';
  it('lets a generic rule answer for the mainland, not for places, payment methods or periods it never names', () => {
    expect(coversSubjects('寄到北京要几天', delivery)).toBe(true);
    expect(coversSubjects('能寄到香港吗', delivery)).toBe(false);
    expect(coversSubjects('do you ship to Hong Kong?', delivery)).toBe(false);
    expect(coversSubjects('过年期间发货吗', delivery)).toBe(false);
    expect(coversSubjects('新疆包邮吗', '新疆、西藏等偏远地区运费20元')).toBe(true);
  });
});

describe('segmentation', () => {
  it('keeps the shop’s own words whole once they are added', () => {
    expect(words('重磅落肩t恤还有货不')).not.toContain('重磅落肩t恤');
    addWords(['重磅落肩T恤']);
    expect(words('重磅落肩t恤还有货不')).toContain('重磅落肩t恤');
  });
});

describe('points reasons', () => {
  it('are words in the customer’s language, and staff notes are never shown', () => {
    expect(pointsReasonText('first_order', 'zh-CN')).toBe('首单奖励');
    expect(pointsReasonText('first_order', 'en')).toBe('First order bonus');
    expect(pointsReasonText('check-in streak 7', 'zh-CN')).toBe('连续签到 7 天奖励');
    expect(pointsReasonText('reward 满100减10券', 'zh-CN')).toBe('兑换「满100减10券」');
    expect(pointsReasonText('goodwill for complaint TS20260301-0003', 'en')).toBe('Points adjustment');
  });
});

describe('ANSWER_MIN_CONFIDENCE', () => {
  it('defaults to 0.5 and must be a number between 0 and 1', () => {
    expect(loadConfig({}).understanding.answerMinConfidence).toBe(0.5);
    expect(loadConfig({ ANSWER_MIN_CONFIDENCE: '0.8' }).understanding.answerMinConfidence).toBe(0.8);
    expect(() => loadConfig({ ANSWER_MIN_CONFIDENCE: '1.5' })).toThrow(ConfigError);
    expect(() => loadConfig({ ANSWER_MIN_CONFIDENCE: 'high' })).toThrow(/ANSWER_MIN_CONFIDENCE/);
  });
});
