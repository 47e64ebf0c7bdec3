// WeCom 客户联系 (admin): 渠道活码 (contact-way QR codes, one per source) created here, the report per
// source (contacts, first orders, revenue), pushing Guanxi tags and segments to WeCom corp tags, and
// what a campaign to WeCom contacts does (群发 tasks that staff confirm: no silent bulk sends).
import { useState } from 'preact/hooks';
import type { ContactSource } from '../../../../src/http/schemas/wecom.ts';
import { api } from '../api.ts';
import { date, type Message, money, msg, useLanguage } from '../i18n.ts';
import { Empty, errorText, Field, Loading, Section, Table, useLoad, useToast } from '../ui.tsx';

const sources: Record<ContactSource, Message> = {
  poster: msg('海报', 'Poster'),
  parcel_insert: msg('包裹卡', 'Parcel insert'),
  livestream: msg('直播', 'Livestream'),
  other: msg('其他', 'Other'),
};
const sourceList: ContactSource[] = ['poster', 'parcel_insert', 'livestream', 'other'];

const commaList = (text: string) =>
  text
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function WecomPage() {
  const lang = useLanguage();
  const { t } = lang;
  const ways = useLoad(() => api.contactWays(), []);
  const report = useLoad(() => api.contactReport(), []);
  const reload = async () => {
    await ways.reload();
    await report.reload();
  };
  return (
    <div class="stack">
      <Section title={t(msg('企业微信客户联系', 'WeCom contacts'))}>
        <p class="muted" id="wecom-group-send-note">
          {t(
            msg(
              '企业微信不允许静默群发：发给企业微信客户的群发会变成群发任务，由添加该客户的员工在企业微信里确认后才发出；结果会自动回填到发送记录。',
              'WeCom does not allow silent bulk sends: a campaign to WeCom contacts becomes 群发 tasks that the staff member who added each contact confirms in the WeCom app; the results are read back into the delivery records.',
            ),
          )}
        </p>
        {ways.data && !ways.data.enabled ? (
          <p class="error" role="status" id="wecom-disabled">
            {t(
              msg(
                '客户联系未启用：设置 WECOM_CORP_ID 和 WECOM_CONTACT_SECRET 后重启。',
                'Contacts are off: set WECOM_CORP_ID and WECOM_CONTACT_SECRET and restart.',
              ),
            )}
          </p>
        ) : null}
      </Section>
      <Section title={t(msg('渠道活码', 'Contact-way QR codes'))}>
        <NewContactWay onCreated={reload} />
        {!ways.data ? (
          <Loading error={ways.error} />
        ) : ways.data.contactWays.length === 0 ? (
          <Empty>{t(msg('还没有渠道活码。', 'No contact-way codes yet.'))}</Empty>
        ) : (
          <Table
            id="contact-ways"
            head={[
              t(msg('名称（点开二维码）', 'Name (opens the QR code)')),
              t(msg('来源', 'Source')),
              t(msg('员工', 'Staff')),
              t(msg('创建时间', 'Created')),
            ]}
          >
            {ways.data.contactWays.map((way) => (
              <tr key={way.id} data-state={way.state}>
                <td>
                  <a
                    href={way.qrCode}
                    target="_blank"
                    rel="noreferrer noopener"
                    title={t(msg('打开二维码', 'Open QR code'))}
                  >
                    {way.name}
                  </a>
                </td>
                <td>{t(sources[way.source])}</td>
                <td>{way.staffUserIds.join(', ')}</td>
                <td>{date(lang, way.createdAt)}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      <Section title={t(msg('来源效果', 'Results per source'))}>
        {!report.data ? (
          <Loading error={report.error} />
        ) : (
          <Table
            id="source-report"
            head={[
              t(msg('来源', 'Source')),
              t(msg('新客户', 'Contacts')),
              t(msg('首单', 'First orders')),
              t(msg('销售额', 'Revenue')),
            ]}
          >
            {report.data.sources.map((row) => (
              <tr key={row.source} data-source={row.source}>
                <td>{t(sources[row.source])}</td>
                <td>{row.contacts}</td>
                <td>{row.firstOrders}</td>
                <td>{money(row.revenue)}</td>
              </tr>
            ))}
            {report.data.contactWays.map((row) => (
              <tr key={`way-${row.contactWayId}`} class="muted">
                <td>
                  {t(sources[row.source])} · {row.name}
                </td>
                <td>{row.contacts}</td>
                <td>{row.firstOrders}</td>
                <td>{money(row.revenue)}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      <TagPush />
    </div>
  );
}

function NewContactWay(props: { onCreated: () => Promise<void> }) {
  const { t } = useLanguage();
  const toast = useToast();
  const [name, setName] = useState('');
  const [source, setSource] = useState<ContactSource>('poster');
  const [staff, setStaff] = useState('');
  const [welcome, setWelcome] = useState('');
  return (
    <form
      class="row wrap"
      id="contact-way-form"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await api.createContactWay({
            name,
            source,
            staffUserIds: commaList(staff),
            ...(welcome.trim() ? { welcomeText: welcome.trim() } : {}),
          });
          toast(t(msg('渠道活码已创建', 'Contact-way code created')));
          setName('');
          setWelcome('');
          await props.onCreated();
        } catch (error) {
          toast(errorText(error), { tone: 'error' });
        }
      }}
    >
      <Field label={t(msg('名称', 'Name'))} id="way-name" required maxLength={60} value={name} onValue={setName} />
      <label>
        {t(msg('来源', 'Source'))}
        <select
          id="way-source"
          value={source}
          onChange={(e) => setSource(sourceList.find((s) => s === e.currentTarget.value) ?? 'other')}
        >
          {sourceList.map((s) => (
            <option key={s} value={s}>
              {t(sources[s])}
            </option>
          ))}
        </select>
      </label>
      <Field
        label={t(msg('员工 UserID（逗号分隔）', 'Staff UserIDs (comma-separated)'))}
        id="way-staff"
        required
        value={staff}
        onValue={setStaff}
      />
      <Field
        label={t(msg('欢迎语（可选）', 'Welcome message (optional)'))}
        labelClass="grow"
        id="way-welcome"
        maxLength={1000}
        value={welcome}
        onValue={setWelcome}
      />
      <button type="submit" id="way-create">
        {t(msg('创建活码', 'Create code'))}
      </button>
    </form>
  );
}

function TagPush() {
  const { t } = useLanguage();
  const toast = useToast();
  const segments = useLoad(() => api.segments(), []);
  const [tags, setTags] = useState('');
  const [chosen, setChosen] = useState<number[]>([]);
  return (
    <Section title={t(msg('同步标签到企业微信', 'Push tags to WeCom'))}>
      <p class="muted">
        {t(
          msg(
            '把客户标签和分群同步为企业微信的企业标签（标签组 “Guanxi”），员工在企业微信里也能看到。',
            'Customer tags and segments become WeCom corp tags (group “Guanxi”), so staff see them in the WeCom app.',
          ),
        )}
      </p>
      <form
        class="row wrap"
        id="tag-push-form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const result = await api.pushTags({ tags: commaList(tags), segmentIds: chosen });
            toast(
              t(msg('已为 {n} 位客户打标签（失败 {f}）', 'Tagged {n} contacts ({f} failed)'), {
                n: result.marked,
                f: result.failed,
              }),
            );
          } catch (error) {
            toast(errorText(error), { tone: 'error' });
          }
        }}
      >
        <Field
          label={t(msg('标签（逗号分隔）', 'Tags (comma-separated)'))}
          labelClass="grow"
          id="push-tags"
          value={tags}
          onValue={setTags}
        />
        <label>
          {t(msg('分群', 'Segments'))}
          <select
            id="push-segments"
            multiple
            size={3}
            onChange={(e) => setChosen(Array.from(e.currentTarget.selectedOptions).map((o) => Number(o.value)))}
          >
            {(segments.data?.segments ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" id="push-submit">
          {t(msg('同步', 'Push'))}
        </button>
      </form>
    </Section>
  );
}
