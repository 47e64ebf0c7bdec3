// Surveys (admin): CSAT, NPS and response rate for a period, grouped, with a chart and the comments;
// and the surveys themselves: name, points reward, on/off, and their questions (texts in Chinese and
// English, choice options, questions added and removed).
import { useMemo, useState } from 'preact/hooks';
import type { SurveyGroupBy, SurveyReport } from '../../../../src/http/schemas/back-office.ts';
import type { Question, SurveyDefinition } from '../../../../src/http/schemas/shop-admin.ts';
import { ChannelName } from '../../../../src/http/schemas/vocabulary.ts';
import { api } from '../api.ts';
import { Chart } from '../chart.tsx';
import { dateTime, dayLabel, type Language, msg, shiftDay, shopMidnight, shopToday, useLanguage } from '../i18n.ts';
import { Badge, Empty, errorText, Field, Loading, Section, Switch, Table, useLoad, useToast } from '../ui.tsx';
import { channel } from '../words.ts';

const groupings: Array<{ value: SurveyGroupBy; zh: string; en: string }> = [
  { value: 'day', zh: '按天', en: 'By day' },
  { value: 'week', zh: '按周', en: 'By week' },
  { value: 'month', zh: '按月', en: 'By month' },
  { value: 'agent', zh: '按客服', en: 'By agent' },
  { value: 'product', zh: '按商品', en: 'By product' },
  { value: 'channel', zh: '按渠道', en: 'By channel' },
];

const groupHeading: Record<SurveyGroupBy, ReturnType<typeof msg>> = {
  day: msg('日期', 'Day'),
  week: msg('周', 'Week'),
  month: msg('月份', 'Month'),
  agent: msg('客服', 'Agent'),
  product: msg('商品', 'Product'),
  channel: msg('渠道', 'Channel'),
};

type ReportGroup = SurveyReport['groups'][number];

/** A report group in words: a day or month as a date, an agent or product by name, a channel by its name. */
function groupLabel(lang: Language, groupBy: SurveyGroupBy, group: ReportGroup): string {
  const { t } = lang;
  if (group.name) return lang.locale === 'en' ? group.name.en : group.name.zh;
  switch (groupBy) {
    case 'day':
    case 'week':
      return dayLabel(lang, group.key, groupBy);
    case 'month':
      return dayLabel(lang, `${group.key}-01`, 'month');
    case 'agent':
      return group.key === 'none'
        ? t(msg('机器人（无客服）', 'The bot (no agent)'))
        : t(msg('已删除的客服', 'A removed agent'));
    case 'channel': {
      const known = ChannelName.safeParse(group.key);
      return known.success ? t(channel[known.data]) : t(msg('未知渠道', 'Unknown channel'));
    }
    case 'product':
      return t(msg('已删除的商品', 'A removed product'));
  }
}

export function SurveysPage() {
  return (
    <div class="stack">
      <SurveyReportSection />
      <SurveyDefinitions />
    </div>
  );
}

function SurveyReportSection() {
  const lang = useLanguage();
  const { t } = lang;
  const [groupBy, setGroupBy] = useState<SurveyGroupBy>('day');
  // Shop days: from the chosen day's midnight to the end of today, on the shop's clock.
  const [to] = useState(() => shiftDay(shopToday(lang), 1));
  const [from, setFrom] = useState(() => shiftDay(shopToday(lang), -30));
  const { data, error } = useLoad(
    () => api.surveyReport(shopMidnight(lang, from).toISOString(), shopMidnight(lang, to).toISOString(), groupBy),
    [from, to, groupBy],
  );
  const chart = useMemo(
    () =>
      data
        ? {
            type: 'bar' as const,
            data: {
              labels: data.groups.map((g) => groupLabel(lang, groupBy, g)),
              datasets: [
                { label: t(msg('满意率 %', 'CSAT %')), data: data.groups.map((g) => g.csat.percent) },
                { label: 'NPS', data: data.groups.map((g) => g.nps.score) },
                { label: t(msg('回复率 %', 'Response rate %')), data: data.groups.map((g) => g.responseRate) },
              ],
            },
          }
        : null,
    [data, lang, groupBy],
  );
  const o = data?.overall;
  return (
    <Section
      title={t(msg('满意度', 'Surveys'))}
      actions={
        <div class="row">
          <label>
            {t(msg('起始日期', 'From'))}
            <input type="date" id="survey-from" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          </label>
          <label>
            {t(msg('分组', 'Group'))}
            <select
              id="survey-group"
              value={groupBy}
              onChange={(e) => setGroupBy(groupings.find((g) => g.value === e.currentTarget.value)?.value ?? 'day')}
            >
              {groupings.map((g) => (
                <option value={g.value}>{lang.locale === 'en' ? g.en : g.zh}</option>
              ))}
            </select>
          </label>
        </div>
      }
    >
      {data && o && chart ? (
        <>
          <div class="tiles">
            <div class="tile">
              <small>{t(msg('满意率', 'CSAT'))}</small>
              <strong>{o.csat.percent === null ? '–' : `${o.csat.percent}%`}</strong>
            </div>
            <div class="tile">
              <small>NPS</small>
              <strong>{o.nps.score ?? '–'}</strong>
            </div>
            <div class="tile">
              <small>{t(msg('推荐 / 中立 / 贬损', 'Promoters / passives / detractors'))}</small>
              <strong>
                {o.nps.promoters} / {o.nps.passives} / {o.nps.detractors}
              </strong>
            </div>
            <div class="tile">
              <small>{t(msg('回复率', 'Response rate'))}</small>
              <strong>{o.responseRate}%</strong>
            </div>
            <div class="tile">
              <small>{t(msg('已发送', 'Sent'))}</small>
              <strong>{o.sent}</strong>
            </div>
          </div>
          <div class="charts">
            <Chart id="survey-chart" config={chart} label={t(msg('分组满意度图表', 'Survey results by group'))} />
            <Table
              id="survey-groups"
              head={[
                t(groupHeading[groupBy]),
                t(msg('已发送', 'Sent')),
                t(msg('回复率', 'Response rate')),
                t(msg('满意率', 'CSAT')),
                'NPS',
              ]}
            >
              {data.groups.map((g) => (
                <tr key={g.key}>
                  <td>{groupLabel(lang, groupBy, g)}</td>
                  <td>{g.sent}</td>
                  <td>{g.responseRate}%</td>
                  <td>{g.csat.percent === null ? '–' : `${g.csat.percent}%`}</td>
                  <td>{g.nps.score ?? '–'}</td>
                </tr>
              ))}
            </Table>
          </div>
          <h3>{t(msg('客户留言', 'Comments'))}</h3>
          {data.comments.length ? (
            <ul class="list">
              {data.comments.map((c) => (
                <li key={`${c.responseId}-${c.at.getTime()}`}>
                  {c.text} <small class="muted">· {dateTime(lang, c.at)}</small>{' '}
                  <a href={`/console/customers/${c.customerId}`}>{t(msg('客户档案', 'Profile'))}</a>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{t(msg('暂无留言', 'No comments yet'))}</Empty>
          )}
        </>
      ) : (
        <Loading error={error} />
      )}
    </Section>
  );
}

const questionType = {
  csat: msg('满意度（1–5 星）', 'Satisfaction (1–5 stars)'),
  nps: msg('推荐度（0–10 分）', 'Recommendation (0–10)'),
  choice: msg('单选', 'Choice'),
  text: msg('文字回答', 'Free text'),
} as const;

const surveyKind = {
  csat: msg('服务满意度', 'Service satisfaction'),
  nps: msg('净推荐值', 'Net promoter score'),
  post_purchase: msg('购后评价', 'After purchase'),
  custom: msg('自定义', 'Custom'),
} as const;

type NewQuestionType = 'csat' | 'nps' | 'text';

/** A question id not yet used in the survey (q1, q2…). */
function freshId(questions: Question[]): string {
  for (let n = questions.length + 1; ; n++) if (!questions.some((q) => q.id === `q${n}`)) return `q${n}`;
}

function SurveyDefinitions() {
  const { t } = useLanguage();
  const { data, error, reload } = useLoad(() => api.surveys(), []);
  return (
    <Section title={t(msg('问卷与题目', 'Surveys and questions'))}>
      {data ? (
        data.surveys.length ? (
          <div class="stack" id="survey-definitions">
            {data.surveys.map((survey) => (
              <SurveyEditor key={survey.key} survey={survey} onSaved={reload} />
            ))}
          </div>
        ) : (
          <Empty>{t(msg('还没有问卷', 'No surveys yet'))}</Empty>
        )
      ) : (
        <Loading error={error} />
      )}
    </Section>
  );
}

function SurveyEditor(props: { survey: SurveyDefinition; onSaved: () => Promise<void> }) {
  const { t } = useLanguage();
  const toast = useToast();
  const [draft, setDraft] = useState(props.survey);
  const [adding, setAdding] = useState<NewQuestionType>('text');
  const setQuestion = (index: number, question: Question) =>
    setDraft({ ...draft, questions: draft.questions.map((q, i) => (i === index ? question : q)) });
  const key = props.survey.key;
  return (
    <details class="survey-editor" data-key={key}>
      <summary>
        <strong>{draft.name}</strong> <span class="muted">· {t(surveyKind[draft.kind])}</span>{' '}
        {draft.active ? null : <Badge tone="cancelled">{t(msg('已停用', 'Off'))}</Badge>}
      </summary>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api.saveSurvey(key, {
              name: draft.name,
              kind: draft.kind,
              questions: draft.questions,
              pointsReward: draft.pointsReward,
              active: draft.active,
            });
            toast(t(msg('问卷已保存', 'Survey saved')));
            await props.onSaved();
          } catch (error) {
            toast(errorText(error), { tone: 'error' });
          }
        }}
      >
        <div class="row wrap">
          <Field
            label={t(msg('名称', 'Name'))}
            labelClass="grow"
            required
            name="name"
            value={draft.name}
            onValue={(value) => setDraft({ ...draft, name: value })}
          />
          <Field
            label={t(msg('完成奖励积分', 'Points for completing'))}
            type="number"
            name="points"
            min={0}
            max={100000}
            value={draft.pointsReward}
            onValue={(value) => setDraft({ ...draft, pointsReward: Number(value) || 0 })}
          />
          <Switch
            label={t(msg('启用（发送给客户）', 'On (sent to customers)'))}
            name="active"
            checked={draft.active}
            onValue={(value) => setDraft({ ...draft, active: value })}
          />
        </div>
        <ol class="questions">
          {draft.questions.map((q, index) => (
            <li key={q.id} data-question={q.id}>
              <fieldset class="stack">
                <legend>
                  {t(msg('第 {n} 题', 'Question {n}'), { n: index + 1 })} · {t(questionType[q.type])}
                </legend>
                <div class="row wrap">
                  <Field
                    label={t(msg('中文题目', 'Question in Chinese'))}
                    labelClass="grow"
                    required
                    name="text-zh"
                    maxLength={300}
                    value={q.text['zh-CN']}
                    onValue={(value) => setQuestion(index, { ...q, text: { ...q.text, 'zh-CN': value } })}
                  />
                  <Field
                    label={t(msg('英文题目', 'Question in English'))}
                    labelClass="grow"
                    required
                    name="text-en"
                    maxLength={300}
                    value={q.text.en}
                    onValue={(value) => setQuestion(index, { ...q, text: { ...q.text, en: value } })}
                  />
                </div>
                {q.type === 'choice' ? (
                  <ul class="list">
                    {q.options.map((o, oi) => (
                      <li key={o.value} class="row wrap">
                        <label class="grow">
                          {t(msg('选项 {n}（中文）', 'Option {n} (Chinese)'), { n: oi + 1 })}
                          <input
                            required
                            value={o.label['zh-CN']}
                            onInput={(e) =>
                              setQuestion(index, {
                                ...q,
                                options: q.options.map((x, xi) =>
                                  xi === oi ? { ...x, label: { ...x.label, 'zh-CN': e.currentTarget.value } } : x,
                                ),
                              })
                            }
                          />
                        </label>
                        <label class="grow">
                          {t(msg('选项 {n}（英文）', 'Option {n} (English)'), { n: oi + 1 })}
                          <input
                            required
                            value={o.label.en}
                            onInput={(e) =>
                              setQuestion(index, {
                                ...q,
                                options: q.options.map((x, xi) =>
                                  xi === oi ? { ...x, label: { ...x.label, en: e.currentTarget.value } } : x,
                                ),
                              })
                            }
                          />
                        </label>
                      </li>
                    ))}
                  </ul>
                ) : null}
                <p class="row">
                  <button
                    type="button"
                    class="link"
                    disabled={index === 0}
                    onClick={() => {
                      const qs = [...draft.questions];
                      const [moved] = qs.splice(index, 1);
                      if (moved) qs.splice(index - 1, 0, moved);
                      setDraft({ ...draft, questions: qs });
                    }}
                  >
                    {t(msg('上移', 'Move up'))}
                  </button>
                  <button
                    type="button"
                    class="link remove-question"
                    disabled={draft.questions.length <= 1}
                    onClick={() => setDraft({ ...draft, questions: draft.questions.filter((_, i) => i !== index) })}
                  >
                    {t(msg('删除此题', 'Remove this question'))}
                  </button>
                </p>
              </fieldset>
            </li>
          ))}
        </ol>
        <div class="row wrap">
          <label>
            {t(msg('新题型', 'New question type'))}
            <select
              name="new-type"
              value={adding}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setAdding(v === 'csat' || v === 'nps' ? v : 'text');
              }}
            >
              {(['text', 'csat', 'nps'] as const).map((type) => (
                <option value={type}>{t(questionType[type])}</option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class="add-question"
            disabled={draft.questions.length >= 10}
            onClick={() =>
              setDraft({
                ...draft,
                questions: [
                  ...draft.questions,
                  { id: freshId(draft.questions), type: adding, text: { 'zh-CN': '', en: '' } },
                ],
              })
            }
          >
            {t(msg('添加题目', 'Add a question'))}
          </button>
          <button type="submit" class="primary save-survey">
            {t(msg('保存问卷', 'Save the survey'))}
          </button>
        </div>
      </form>
    </details>
  );
}
