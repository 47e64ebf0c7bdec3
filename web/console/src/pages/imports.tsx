// CSV import (admin): choose what to import and a file, see the preview (how the file was read, which
// rows are fine, which are not and why), then confirm. Nothing is written before the confirmation.
import { useState } from 'preact/hooks';
import type { ImportKind, ImportReport } from '../../../../src/http/schemas/back-office.ts';
import { api } from '../api.ts';
import { msg, useLanguage } from '../i18n.ts';
import { ActionButton, Empty, errorText, Section, Table, useToast } from '../ui.tsx';

const kinds: Array<{ value: ImportKind; label: ReturnType<typeof msg>; columns: string }> = [
  {
    value: 'products',
    label: msg('商品', 'Products'),
    columns:
      'sku, name, price, nameEn, stock, category, description, descriptionEn, attributes, attributesEn, returnable, url',
  },
  {
    value: 'faqs',
    label: msg('常见问题', 'FAQs'),
    columns: 'question, answer, questionEn, answerEn, keywords, category',
  },
  {
    value: 'orders',
    label: msg('订单', 'Orders'),
    columns:
      'orderNo, channel, externalId, status, sku, price, itemName, qty, name, phone, carrier, trackingNo, placedAt, expectedDeliveryAt, total',
  },
];

const encodings: Record<ImportReport['encoding'], ReturnType<typeof msg>> = {
  'utf-8': msg('UTF-8', 'UTF-8'),
  'utf-8-bom': msg('UTF-8（带 BOM）', 'UTF-8 with BOM'),
  gb18030: msg('GBK / GB18030（Excel 中文版）', 'GBK / GB18030 (Chinese Excel)'),
};

/** Each problem in the staff's language; the server's English detail stays available as a tooltip. */
const problems: Record<ImportReport['failed'][number]['problem'], ReturnType<typeof msg>> = {
  field_count: msg(
    '这一行的字段数和表头不一致（可能多了或少了逗号）',
    'This row has more or fewer fields than the header',
  ),
  amount: msg('金额应写成元，如 79 或 79.90', 'Expected an amount in yuan such as 79 or 79.90'),
  whole_number: msg('应为整数', 'Expected a whole number'),
  yes_no: msg('应为 是/否、true/false、1/0', 'Expected yes/no, true/false or 1/0'),
  date: msg('日期应写成 2026-11-29 或 2026-11-29 14:30', 'Expected a date such as 2026-11-29 or 2026-11-29 14:30'),
  invalid: msg('缺少或无效的值', 'Missing or invalid value'),
  not_saved: msg('无法保存', 'Could not be saved'),
};

export function ImportsPage() {
  const lang = useLanguage();
  const { t } = lang;
  const toast = useToast();
  const [kind, setKind] = useState<ImportKind>('products');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const current = kinds.find((k) => k.value === kind) ?? kinds[0];

  const check = async (nextKind: ImportKind, nextFile: File | null) => {
    setPreview(null);
    setResult(null);
    if (!nextFile) return;
    try {
      setPreview(await api.importCsv(nextKind, nextFile, 'preview'));
    } catch (error) {
      toast(errorText(error), { tone: 'error' });
    }
  };

  return (
    <Section title={t(msg('批量导入', 'Import'))}>
      <form class="row wrap" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t(msg('导入内容', 'What'))}
          <select
            id="import-kind"
            value={kind}
            onChange={(e) => {
              const next = kinds.find((k) => k.value === e.currentTarget.value)?.value ?? 'products';
              setKind(next);
              void check(next, file);
            }}
          >
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {t(k.label)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(msg('CSV 文件', 'CSV file'))}
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const chosen = e.currentTarget.files?.[0] ?? null;
              setFile(chosen);
              void check(kind, chosen);
            }}
          />
        </label>
      </form>
      <p class="muted">
        {t(
          msg('第一行是列名，列的顺序不限。可读列：', 'The first row names the columns, in any order. Columns read: '),
        )}
        <code>{current?.columns}</code>
        {t(
          msg(
            '。金额以元为单位；日期可写 2026-11-29 或 2026-11-29 14:30（店铺时区）。',
            '. Amounts in yuan; dates as 2026-11-29 or 2026-11-29 14:30 (shop time zone).',
          ),
        )}
      </p>
      {preview ? (
        <ImportSummary report={preview} />
      ) : (
        <Empty>
          {t(
            msg(
              '选择文件后先预览，确认后才写入。',
              'Choose a file to preview it; nothing is written until you confirm.',
            ),
          )}
        </Empty>
      )}
      {preview && !result ? (
        <ActionButton
          id="import-confirm"
          class="primary"
          disabled={!file || preview.valid === 0}
          run={async () => {
            if (!file) return;
            const done = await api.importCsv(kind, file, 'import');
            setResult(done);
            toast(t(msg('已导入 {n} 条', 'Imported {n}'), { n: done.imported }));
          }}
        >
          {t(msg('确认导入 {n} 条', 'Import {n} records'), { n: preview.valid })}
        </ActionButton>
      ) : null}
      {result ? (
        <p id="import-result" role="status">
          {t(msg('已导入 {n} 条，未导入 {f} 条。', 'Imported {n}; {f} not imported.'), {
            n: result.imported,
            f: result.failed.length,
          })}
        </p>
      ) : null}
    </Section>
  );
}

function ImportSummary(props: { report: ImportReport }) {
  const { t } = useLanguage();
  const { report } = props;
  return (
    <div id="import-preview">
      <div class="tiles">
        <div class="tile">
          <small>{t(msg('文件编码', 'Encoding'))}</small>
          <strong>{t(encodings[report.encoding])}</strong>
        </div>
        <div class="tile">
          <small>{t(msg('记录', 'Records'))}</small>
          <strong>{report.records}</strong>
        </div>
        <div class="tile">
          <small>{t(msg('可导入', 'Ready'))}</small>
          <strong>{report.valid}</strong>
        </div>
        <div class="tile">
          <small>{t(msg('有问题', 'With problems'))}</small>
          <strong>{report.failed.length}</strong>
        </div>
      </div>
      {report.ignoredColumns.length ? (
        <p class="muted">
          {t(msg('不会读取的列：{c}', 'Columns not read: {c}'), { c: report.ignoredColumns.join(', ') })}
        </p>
      ) : null}
      {report.failed.length ? (
        <Table
          id="import-problems"
          caption={t(msg('有问题的行（不会导入）', 'Rows with problems (not imported)'))}
          head={[t(msg('行', 'Row')), t(msg('编号', 'Key')), t(msg('列', 'Column')), t(msg('原因', 'Problem'))]}
        >
          {report.failed.map((f) => (
            <tr key={f.rows.join(',')}>
              <td>{f.rows.join(', ')}</td>
              <td>{f.key}</td>
              <td>{f.column ?? ''}</td>
              <td title={f.error}>
                {t(problems[f.problem])}
                {f.problem === 'invalid' || f.problem === 'not_saved' ? (
                  <small class="muted"> · {f.error}</small>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}
