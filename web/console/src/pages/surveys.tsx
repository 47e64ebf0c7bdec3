// Surveys (admin): CSAT, NPS and response rate for a period, grouped, with a chart and the comments.
import { useMemo, useState } from 'preact/hooks';
import type { SurveyGroupBy } from '../../../../src/http/schemas/back-office.ts';
import { api } from '../api.ts';
import { Chart } from '../chart.tsx';
import { dateTime, msg, useLanguage } from '../i18n.ts';
import { Empty, Loading, Section, useLoad } from '../ui.tsx';

const groupings: Array<{ value: SurveyGroupBy; zh: string; en: string }> = [
  { value: 'day', zh: '按天', en: 'By day' },
  { value: 'week', zh: '按周', en: 'By week' },
  { value: 'month', zh: '按月', en: 'By month' },
  { value: 'agent', zh: '按客服', en: 'By agent' },
  { value: 'product', zh: '按商品', en: 'By product' },
  { value: 'channel', zh: '按渠道', en: 'By channel' },
];

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function SurveysPage() {
  const lang = useLanguage();
  const { t } = lang;
  const [groupBy, setGroupBy] = useState<SurveyGroupBy>('day');
  const [to] = useState(() => isoDay(new Date(Date.now() + 86_400_000)));
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 30 * 86_400_000)));
  const { data, error } = useLoad(
    () => api.surveyReport(`${from}T00:00:00Z`, `${to}T00:00:00Z`, groupBy),
    [from, to, groupBy],
  );
  const chart = useMemo(
    () =>
      data
        ? {
            type: 'bar' as const,
            data: {
              labels: data.groups.map((g) => g.key),
              datasets: [
                { label: t(msg('满意率 %', 'CSAT %')), data: data.groups.map((g) => g.csat.percent) },
                { label: 'NPS', data: data.groups.map((g) => g.nps.score) },
                { label: t(msg('回复率 %', 'Response rate %')), data: data.groups.map((g) => g.responseRate) },
              ],
            },
          }
        : null,
    [data, t],
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
          <Chart config={chart} label={t(msg('分组满意度图表', 'Survey results by group'))} />
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
