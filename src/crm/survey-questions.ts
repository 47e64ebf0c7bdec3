// Survey questions (their zod shape lives in src/domain/survey-input.ts, shared with the console) and
// how a question becomes a chat message.
import type { Reply } from '../domain/messages.ts';
import type { Question, SurveyInput } from '../domain/survey-input.ts';
import { type Locale, msg } from '../kernel/i18n.ts';

export { Question, QuestionId, Questions, SurveyInput } from '../domain/survey-input.ts';

/** The value a text question gets when the customer skips it. */
export const SKIPPED = '-';

const csatEmoji = ['😡', '🙁', '😐', '🙂', '😍'];

const text = {
  intro: msg('😊 占用你几秒钟，帮我们做个小调查：', '😊 Could you spare a few seconds for a quick survey?'),
  typeAnswer: msg('（请直接回复文字）', '(Just type your answer)'),
  skip: msg('跳过', 'Skip'),
  npsHint: msg('0 = 完全不会，10 = 非常愿意', '0 = not at all, 10 = extremely likely'),
};

/** Score carried by an answer (CSAT 1–5, NPS 0–10), or null; undefined when the value is not valid. */
export function scoreOf(question: Question, value: string): number | null | undefined {
  switch (question.type) {
    case 'csat':
    case 'nps': {
      if (!/^\d{1,2}$/.test(value)) return undefined;
      const n = Number(value);
      const max = question.type === 'csat' ? 5 : 10;
      const min = question.type === 'csat' ? 1 : 0;
      return n >= min && n <= max ? n : undefined;
    }
    case 'choice':
      return question.options.some((o) => o.value === value) ? null : undefined;
    case 'text':
      return value.trim().length > 0 ? null : undefined;
  }
}

export function questionReply(
  responseId: number,
  question: Question,
  index: number,
  total: number,
  locale: Locale,
): Reply {
  const data = (value: string) => `survey:${responseId}:${question.id}:${value}`;
  const head = `${index === 0 ? `${text.intro[locale]}\n` : ''}(${index + 1}/${total}) ${question.text[locale]}`;
  switch (question.type) {
    case 'csat':
      return {
        text: head,
        buttons: csatEmoji.map((emoji, i) => ({ label: `${emoji} ${i + 1}`, data: data(String(i + 1)) })),
      };
    case 'nps':
      return {
        text: `${head}\n${text.npsHint[locale]}`,
        buttons: Array.from({ length: 11 }, (_, i) => ({ label: String(i), data: data(String(i)) })),
      };
    case 'choice':
      return { text: head, buttons: question.options.map((o) => ({ label: o.label[locale], data: data(o.value) })) };
    case 'text':
      return {
        text: `${head}\n${text.typeAnswer[locale]}`,
        buttons: [{ label: text.skip[locale], data: data(SKIPPED) }],
      };
  }
}

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

export const defaultSurveys: Record<'post_purchase' | 'csat_service', Omit<SurveyInput, 'pointsReward' | 'active'>> = {
  post_purchase: {
    name: '购后回访 / Post-purchase',
    kind: 'post_purchase',
    questions: [
      { id: 'csat', type: 'csat', text: label('你对这次购物满意吗？', 'How satisfied are you with your order?') },
      {
        id: 'nps',
        type: 'nps',
        text: label('你有多大可能把我们推荐给朋友？', 'How likely are you to recommend us to a friend?'),
      },
      {
        id: 'best',
        type: 'choice',
        text: label('哪方面最让你满意？', 'What did you like most?'),
        options: [
          { value: 'product', label: label('商品质量', 'Product') },
          { value: 'shipping', label: label('物流速度', 'Delivery') },
          { value: 'service', label: label('客服服务', 'Service') },
          { value: 'price', label: label('价格', 'Price') },
        ],
      },
      {
        id: 'comment',
        type: 'text',
        text: label('还有什么想告诉我们的吗？', 'Anything else you would like to tell us?'),
      },
    ],
  },
  csat_service: {
    name: '服务满意度 / Service CSAT',
    kind: 'csat',
    questions: [
      {
        id: 'csat',
        type: 'csat',
        text: label('你对本次客服服务满意吗？', 'How satisfied are you with our service today?'),
      },
      { id: 'comment', type: 'text', text: label('有什么建议吗？', 'Any suggestions for us?') },
    ],
  },
};
