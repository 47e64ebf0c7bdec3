// Cases (工单): after-sale requests and complaints, filtered and searched; one case opened beside the
// list with the steps its type and stage allow (approve, reject with a reason, send the return
// address, mark the return received, refund, ship the replacement, resolve, close). Every step is
// pushed to the customer in their own chat by the server; internal notes stay with the staff.
import { useState } from 'preact/hooks';
import type { CaseDetail, CaseFilters, CaseUpdate } from '../../../../src/http/schemas/cases.ts';
import { CaseStatus, CaseType } from '../../../../src/http/schemas/vocabulary.ts';
import { api } from '../api.ts';
import { dateTime, type Message, money, msg, useLanguage } from '../i18n.ts';
import {
  ActionButton,
  Badge,
  Empty,
  EnumFilter,
  errorText,
  Field,
  Loading,
  Section,
  useLoad,
  useToast,
} from '../ui.tsx';
import { casePriority, caseStage, caseStatus, caseType } from '../words.ts';

type Change = Pick<CaseUpdate, 'status' | 'stage'>;

interface Step {
  id: string;
  label: Message;
  change: Change;
  /** The customer must be told why (a rejection). */
  needsMessage?: boolean;
  /** The change carries the address the customer sends the item back to. */
  needsAddress?: boolean;
}

/** Types whose goods come back or go out again (the stage machine applies to them). */
const returnsGoods = new Set<CaseDetail['type']>(['return', 'exchange']);
const afterSale = new Set<CaseDetail['type']>(['return', 'exchange', 'refund', 'missing', 'damaged']);

/** The steps that make sense for a case now; anything else is not offered. */
function stepsFor(c: Pick<CaseDetail, 'type' | 'status' | 'stage'>): Step[] {
  if (c.status === 'closed') return [];
  if (c.status === 'resolved') {
    return [
      { id: 'close', label: msg('关闭工单', 'Close'), change: { status: 'closed' } },
      { id: 'reopen', label: msg('重新处理', 'Reopen'), change: { status: 'in_progress' } },
    ];
  }
  const steps: Step[] = [];
  if (afterSale.has(c.type) && c.stage === null) {
    steps.push({
      id: 'approve',
      label: msg('通过审核', 'Approve'),
      change: { stage: 'approved', status: 'in_progress' },
    });
    steps.push({
      id: 'reject',
      label: msg('拒绝', 'Reject'),
      change: { stage: 'rejected', status: 'resolved' },
      needsMessage: true,
    });
  }
  if (c.stage === 'approved' && returnsGoods.has(c.type)) {
    steps.push({
      id: 'address',
      label: msg('发送退货地址', 'Send return address'),
      change: { stage: 'return_address_sent' },
      needsAddress: true,
    });
  }
  if (c.stage === 'return_address_sent') {
    steps.push({ id: 'received', label: msg('已收到退货', 'Return received'), change: { stage: 'received' } });
  }
  const refundable =
    (c.stage === 'received' && c.type === 'return') ||
    (c.stage === 'approved' && (c.type === 'refund' || c.type === 'missing' || c.type === 'damaged'));
  if (refundable) {
    steps.push({ id: 'refund', label: msg('已退款', 'Refunded'), change: { stage: 'refunded', status: 'resolved' } });
  }
  const reship =
    (c.stage === 'received' && c.type === 'exchange') ||
    (c.stage === 'approved' && (c.type === 'missing' || c.type === 'damaged'));
  if (reship) {
    steps.push({
      id: 'ship',
      label: msg('已寄出换货/补发', 'Replacement shipped'),
      change: { stage: 'shipped', status: 'resolved' },
    });
  }
  if (c.status === 'open') {
    steps.push({ id: 'start', label: msg('开始处理', 'Start'), change: { status: 'in_progress' } });
  }
  steps.push({ id: 'resolve', label: msg('标记已解决', 'Resolve'), change: { status: 'resolved' } });
  return steps;
}

const statusTone: Record<CaseDetail['status'], string> = {
  open: 'pending',
  in_progress: 'open',
  resolved: 'resolved',
  closed: 'resolved',
};

export function CasesPage(props: { caseNo?: string }) {
  const lang = useLanguage();
  const { t } = lang;
  const [filters, setFilters] = useState<CaseFilters>({});
  const list = useLoad(() => api.cases(filters), [filters.status, filters.type, filters.q]);
  const selected = props.caseNo ?? null;
  const now = new Date();
  return (
    <div class="split">
      <Section title={t(msg('工单', 'Cases'))}>
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <EnumFilter
            label={t(msg('状态', 'Status'))}
            labelHidden
            id="case-status"
            any={t(msg('全部状态', 'Any status'))}
            values={CaseStatus.options}
            words={caseStatus}
            value={filters.status}
            onValue={(value) => setFilters({ ...filters, status: value })}
          />
          <EnumFilter
            label={t(msg('类型', 'Type'))}
            labelHidden
            id="case-type"
            any={t(msg('全部类型', 'Any type'))}
            values={CaseType.options}
            words={caseType}
            value={filters.type}
            onValue={(value) => setFilters({ ...filters, type: value })}
          />
          <label class="grow">
            <span class="visually-hidden">{t(msg('工单号', 'Case number'))}</span>
            <input
              type="search"
              id="case-search"
              placeholder={t(msg('工单号', 'Case number'))}
              value={filters.q ?? ''}
              onInput={(e) => setFilters({ ...filters, q: e.currentTarget.value || undefined })}
            />
          </label>
        </form>
        {list.data ? (
          list.data.cases.length ? (
            <ul class="list" id="cases">
              {list.data.cases.map((c) => {
                const overdue = c.resolutionDueAt !== null && c.resolvedAt === null && c.resolutionDueAt < now;
                return (
                  <li key={c.caseNo} class={c.caseNo === selected ? 'selected' : ''} data-case={c.caseNo}>
                    <a href={`/console/cases/${c.caseNo}`} aria-current={c.caseNo === selected ? 'true' : undefined}>
                      {c.caseNo}
                    </a>{' '}
                    <Badge tone={statusTone[c.status]}>{t(caseStatus[c.status])}</Badge>{' '}
                    {overdue ? <Badge tone="sla-breached">{t(msg('已超时', 'Overdue'))}</Badge> : null}
                    <div class="muted">
                      {t(caseType[c.type])}
                      {c.stage ? ` · ${t(caseStage[c.stage])}` : ''} ·{' '}
                      {c.customerName ?? t(msg('未留名客户', 'Unnamed customer'))}
                      {c.orderNo ? ` · ${c.orderNo}` : ''} · {dateTime(lang, c.createdAt)}
                    </div>
                  </li>
                );
              })}
            </ul>
          ) : (
            <Empty>{t(msg('没有符合条件的工单', 'No cases match'))}</Empty>
          )
        ) : (
          <Loading error={list.error} />
        )}
      </Section>
      {selected ? <CasePanel key={selected} caseNo={selected} onChanged={list.reload} /> : null}
    </div>
  );
}

function CasePanel(props: { caseNo: string; onChanged: () => Promise<void> }) {
  const lang = useLanguage();
  const { t } = lang;
  const toast = useToast();
  const { data, error, reload } = useLoad(() => api.case(props.caseNo), [props.caseNo]);
  const [message, setMessage] = useState('');
  const [address, setAddress] = useState('');
  const [note, setNote] = useState('');
  if (!data) {
    return (
      <Section title={props.caseNo}>
        <Loading error={error} />
      </Section>
    );
  }
  const steps = stepsFor(data);
  const sentAddress = data.data?.returnAddress;
  const apply = async (step: Step) => {
    if (step.needsMessage && !message.trim()) {
      toast(t(msg('请填写给客户的原因', 'Tell the customer why first')), { tone: 'error' });
      return;
    }
    if (step.needsAddress && !address.trim()) {
      toast(t(msg('请填写退货地址', 'Enter the return address first')), { tone: 'error' });
      return;
    }
    await api.updateCase(data.caseNo, {
      ...step.change,
      ...(message.trim() ? { message: message.trim() } : {}),
      ...(step.needsAddress ? { returnAddress: address.trim() } : {}),
    });
    setMessage('');
    toast(t(msg('已更新，客户已收到通知', 'Updated; the customer has been told')));
    await reload();
    await props.onChanged();
  };
  return (
    <Section
      title={`${t(caseType[data.type])} ${data.caseNo}`}
      id="case"
      actions={
        <Badge tone={statusTone[data.status]}>
          <span id="case-status-now" data-status={data.status} data-stage={data.stage ?? ''}>
            {t(caseStatus[data.status])}
            {data.stage ? ` · ${t(caseStage[data.stage])}` : ''}
          </span>
        </Badge>
      }
    >
      <dl class="facts">
        <dt>{t(msg('客户', 'Customer'))}</dt>
        <dd>
          <a href={`/console/customers/${data.customerId}`}>{t(msg('客户档案', 'Profile'))}</a>
        </dd>
        <dt>{t(msg('优先级', 'Priority'))}</dt>
        <dd>{t(casePriority[data.priority])}</dd>
        {data.reason ? (
          <>
            <dt>{t(msg('原因', 'Reason'))}</dt>
            <dd>{data.reason}</dd>
          </>
        ) : null}
        {data.description ? (
          <>
            <dt>{t(msg('描述', 'Description'))}</dt>
            <dd>{data.description}</dd>
          </>
        ) : null}
        {data.amount !== null ? (
          <>
            <dt>{t(msg('金额', 'Amount'))}</dt>
            <dd>{money(data.amount)}</dd>
          </>
        ) : null}
        <dt>{t(msg('创建', 'Opened'))}</dt>
        <dd>{dateTime(lang, data.createdAt)}</dd>
        {data.resolutionDueAt ? (
          <>
            <dt>{t(msg('解决时限', 'Resolve by'))}</dt>
            <dd>{dateTime(lang, data.resolutionDueAt)}</dd>
          </>
        ) : null}
        {sentAddress ? (
          <>
            <dt>{t(msg('退货地址', 'Return address'))}</dt>
            <dd>{sentAddress}</dd>
          </>
        ) : null}
      </dl>
      {steps.length ? (
        <form class="stack" id="case-actions" onSubmit={(e) => e.preventDefault()}>
          {steps.some((s) => s.needsAddress) ? (
            <Field
              label={t(msg('退货地址', 'Return address'))}
              id="case-return-address"
              value={address}
              onValue={setAddress}
            />
          ) : null}
          <label>
            {t(msg('给客户的说明（可选，拒绝时必填）', 'Message to the customer (optional; required to reject)'))}
            <textarea id="case-message" rows={2} value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
          </label>
          <div class="row wrap">
            {steps.map((step) => (
              <ActionButton
                key={step.id}
                id={`case-${step.id}`}
                class={step.id === 'reject' ? '' : 'primary'}
                run={() => apply(step)}
              >
                {t(step.label)}
              </ActionButton>
            ))}
          </div>
        </form>
      ) : (
        <p class="muted">{t(msg('工单已关闭', 'This case is closed'))}</p>
      )}
      <h3>{t(msg('内部备注', 'Internal notes'))}</h3>
      {data.notes.length ? (
        <ul class="list" id="case-notes">
          {data.notes.map((n) => (
            <li key={n.id}>
              {n.text} <small class="muted">· {dateTime(lang, n.createdAt)}</small>
            </li>
          ))}
        </ul>
      ) : (
        <Empty>{t(msg('还没有备注', 'No notes yet'))}</Empty>
      )}
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!note.trim()) return;
          try {
            await api.caseNote(data.caseNo, note.trim());
            setNote('');
            await reload();
          } catch (failure) {
            toast(errorText(failure), { tone: 'error' });
          }
        }}
      >
        <label class="grow">
          <span class="visually-hidden">{t(msg('备注', 'Note'))}</span>
          <input id="case-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        <button type="submit" id="case-note-add">
          {t(msg('添加备注', 'Add note'))}
        </button>
      </form>
    </Section>
  );
}
