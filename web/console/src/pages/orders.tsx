// Orders (issue 17): find an order by number, customer name or phone, filter by status, change its
// status / carrier / tracking number in a panel below the list (the customer hears about status
// changes), and enter a manual order. Cancelling an order is setting its status to 已取消.
import { useEffect, useState } from 'preact/hooks';
import { type ChannelName, channelNames } from '../../../../src/domain/channels.ts';
import { type OrderStatus, orderStatuses } from '../../../../src/domain/orders.ts';
import type { OrderSummary } from '../../../../src/http/schemas/orders.ts';
import { api } from '../api.ts';
import { dateTime, money, msg, useLanguage } from '../i18n.ts';
import { Badge, Empty, EnumFilter, errorText, Loading, Section, Table, useLoad, useToast } from '../ui.tsx';
import { channel, orderStatus } from '../words.ts';

const pageSize = 50;

function isOrderStatus(value: string): value is OrderStatus {
  return orderStatuses.some((s) => s === value);
}

function isChannel(value: string): value is ChannelName {
  return channelNames.some((c) => c === value);
}

export function OrdersPage() {
  const lang = useLanguage();
  const { t } = lang;
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [skip, setSkip] = useState(0);
  const [editing, setEditing] = useState<OrderSummary | null>(null);
  const [creating, setCreating] = useState(false);
  const { data, error, reload } = useLoad(
    () => api.orders({ q, ...(status ? { status } : {}), take: pageSize, skip }),
    [q, status, skip],
  );
  return (
    <>
      <Section
        title={t(msg('订单', 'Orders'))}
        actions={
          <button type="button" id="new-order" class="primary" onClick={() => setCreating(true)}>
            {t(msg('新建订单', 'New order'))}
          </button>
        }
      >
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label class="grow">
            <span class="visually-hidden">{t(msg('搜索订单', 'Search orders'))}</span>
            <input
              type="search"
              id="order-search"
              placeholder={t(msg('订单号、客户姓名或电话', 'Order number, customer name or phone'))}
              value={q}
              onInput={(e) => {
                setQ(e.currentTarget.value);
                setSkip(0);
              }}
            />
          </label>
          <EnumFilter
            label={t(msg('订单状态', 'Order status'))}
            labelHidden
            id="order-status"
            any={t(msg('全部状态', 'All statuses'))}
            values={orderStatuses}
            words={orderStatus}
            value={status}
            onValue={(value) => {
              setStatus(value ?? '');
              setSkip(0);
            }}
          />
        </form>
        {data ? (
          data.orders.length ? (
            <Table
              id="orders"
              head={[
                t(msg('订单号', 'Order')),
                t(msg('客户', 'Customer')),
                t(msg('状态', 'Status')),
                t(msg('金额', 'Total')),
                t(msg('商品行', 'Lines')),
                t(msg('物流', 'Shipping')),
                t(msg('下单时间', 'Placed')),
              ]}
            >
              {data.orders.map((o) => (
                <tr key={o.orderNo} data-order={o.orderNo}>
                  <td>
                    <button type="button" class="link edit-order" onClick={() => setEditing(o)}>
                      {o.orderNo}
                    </button>
                  </td>
                  <td>
                    <a href={`/console/customers/${o.customer.id}`}>
                      {o.customer.name ?? t(msg('未留名客户', 'Unnamed customer'))}
                    </a>
                    {o.customer.phone ? <div class="muted">{o.customer.phone}</div> : null}
                  </td>
                  <td>
                    <Badge tone={o.status}>{t(orderStatus[o.status])}</Badge>
                  </td>
                  <td>{money(o.total)}</td>
                  <td>{o.itemCount}</td>
                  <td>{o.trackingNo ? `${o.carrier ?? ''} ${o.trackingNo}`.trim() : '—'}</td>
                  <td>{dateTime(lang, o.placedAt)}</td>
                </tr>
              ))}
            </Table>
          ) : (
            <Empty>{t(msg('没有符合条件的订单', 'No matching orders'))}</Empty>
          )
        ) : (
          <Loading error={error} />
        )}
        <div class="row">
          <button
            type="button"
            id="orders-newer"
            disabled={skip === 0}
            onClick={() => setSkip(Math.max(0, skip - pageSize))}
          >
            {t(msg('上一页', 'Newer'))}
          </button>
          <button
            type="button"
            id="orders-older"
            disabled={!data || data.orders.length < pageSize}
            onClick={() => setSkip(skip + pageSize)}
          >
            {t(msg('下一页', 'Older'))}
          </button>
        </div>
      </Section>
      <EditOrderPanel
        order={editing}
        onClose={() => setEditing(null)}
        onSaved={async () => {
          setEditing(null);
          await reload();
        }}
      />
      <NewOrderPanel
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={async () => {
          setCreating(false);
          await reload();
        }}
      />
    </>
  );
}

/** Status, carrier and tracking number of one order; the customer is told about a new status. */
function EditOrderPanel(props: { order: OrderSummary | null; onClose: () => void; onSaved: () => Promise<void> }) {
  const { t } = useLanguage();
  const toast = useToast();
  const order = props.order;
  const [form, setForm] = useState({ status: '', carrier: '', trackingNo: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const bind = (key: 'carrier' | 'trackingNo') => ({
    value: form[key],
    onInput: (e: { currentTarget: HTMLInputElement }) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  if (order && shown !== order.orderNo) {
    setShown(order.orderNo);
    setForm({ status: order.status, carrier: order.carrier ?? '', trackingNo: order.trackingNo ?? '' });
    setProblem(null);
  }
  // The panel opens below the list: bring it into view (on a phone the list is long).
  useEffect(() => {
    if (order) document.getElementById('order-edit-panel')?.scrollIntoView({ block: 'start' });
  }, [order?.orderNo]);
  if (!order) return null;
  return (
    <Section id="order-edit-panel" title={t(msg('订单 {orderNo}', 'Order {orderNo}'), { orderNo: order.orderNo })}>
      <form
        class="stack"
        id="order-edit"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api.updateOrder(order.orderNo, {
              ...(form.status !== order.status && isOrderStatus(form.status) ? { status: form.status } : {}),
              carrier: form.carrier.trim() || null,
              trackingNo: form.trackingNo.trim() || null,
            });
            toast(t(msg('已保存', 'Saved')));
            setShown(null);
            await props.onSaved();
          } catch (failure) {
            setProblem(errorText(failure));
          }
        }}
      >
        <p>
          <a href={`/console/customers/${order.customer.id}`}>
            {t(msg('客户档案：{name}', 'Customer profile: {name}'), {
              name: order.customer.name ?? t(msg('未留名客户', 'Unnamed customer')),
            })}
          </a>
        </p>
        <StatusField id="order-edit-status" value={form.status} onChange={(status) => setForm({ ...form, status })} />
        <label>
          {t(msg('快递公司', 'Carrier'))}
          <input id="order-edit-carrier" maxLength={64} {...bind('carrier')} />
        </label>
        <label>
          {t(msg('运单号', 'Tracking number'))}
          <input id="order-edit-tracking" maxLength={64} {...bind('trackingNo')} />
        </label>
        <p class="muted" id="order-edit-notice">
          {t(
            msg(
              '状态改为已发货、已签收、已取消或已退款时，客户会收到通知。',
              'The customer is notified when the status becomes shipped, delivered, cancelled or refunded.',
            ),
          )}
        </p>
        <FormEnd
          problem={problem}
          cancel={t(msg('关闭', 'Close'))}
          onCancel={() => {
            setShown(null);
            props.onClose();
          }}
          saveId="order-edit-save"
          save={t(msg('保存', 'Save'))}
        />
      </form>
    </Section>
  );
}

/** The end of both order forms: the API's refusal in words, then cancel and submit. */
function FormEnd(props: {
  problem: string | null;
  cancel: string;
  onCancel: () => void;
  saveId: string;
  save: string;
}) {
  return (
    <>
      {props.problem ? (
        <p class="error" role="alert">
          {props.problem}
        </p>
      ) : null}
      <div class="row">
        <button type="button" onClick={props.onCancel}>
          {props.cancel}
        </button>
        <button type="submit" id={props.saveId} class="primary">
          {props.save}
        </button>
      </div>
    </>
  );
}

/** Every order status as an option, in words. */
function StatusOptions() {
  const { t } = useLanguage();
  return (
    <>
      {orderStatuses.map((s) => (
        <option key={s} value={s}>
          {t(orderStatus[s])}
        </option>
      ))}
    </>
  );
}

/** The order status picker of the edit panel and the new-order form. */
function StatusField(props: { id: string; value: string; onChange: (status: string) => void }) {
  const { t } = useLanguage();
  return (
    <label>
      {t(msg('状态', 'Status'))}
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <StatusOptions />
      </select>
    </label>
  );
}

const emptyOrder = {
  orderNo: '',
  channel: 'webchat',
  externalId: '',
  name: '',
  phone: '',
  sku: '',
  itemName: '',
  qty: '1',
  price: '',
  status: 'paid',
};
type NewOrderForm = typeof emptyOrder;

/** Yuan as typed ("12.5") to fen, or null when it is not an amount. */
function fenOf(yuan: string): number | null {
  const text = yuan.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
  return Math.round(Number(text) * 100);
}

/** A manual order with one line, for a customer known by channel and account id. */
function NewOrderPanel(props: { open: boolean; onClose: () => void; onSaved: () => Promise<void> }) {
  const { t } = useLanguage();
  const toast = useToast();
  const [form, setForm] = useState<NewOrderForm>(emptyOrder);
  const [problem, setProblem] = useState<string | null>(null);
  const field = (key: keyof NewOrderForm) => ({
    value: form[key],
    onInput: (e: { currentTarget: HTMLInputElement }) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  const price = fenOf(form.price);
  const qty = Number(form.qty);
  const total = price !== null && Number.isInteger(qty) && qty > 0 ? price * qty : null;
  useEffect(() => {
    if (props.open) document.getElementById('order-new-panel')?.scrollIntoView({ block: 'start' });
  }, [props.open]);
  if (!props.open) return null;
  return (
    <Section id="order-new-panel" title={t(msg('新建订单', 'New order'))}>
      <form
        class="stack"
        id="order-new"
        onSubmit={async (e) => {
          e.preventDefault();
          if (price === null || total === null) {
            setProblem(t(msg('请填写有效的单价和数量', 'Enter a valid price and quantity')));
            return;
          }
          if (!isChannel(form.channel) || !isOrderStatus(form.status)) return;
          try {
            await api.createOrder({
              orderNo: form.orderNo.trim(),
              customer: {
                channel: form.channel,
                externalId: form.externalId.trim(),
                ...(form.name.trim() ? { name: form.name.trim() } : {}),
                ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
              },
              items: [{ sku: form.sku.trim(), name: form.itemName.trim(), qty, price }],
              total,
              status: form.status,
            });
            toast(t(msg('订单已创建', 'Order created')));
            setForm(emptyOrder);
            setProblem(null);
            await props.onSaved();
          } catch (failure) {
            setProblem(errorText(failure));
          }
        }}
      >
        <label>
          {t(msg('订单号', 'Order number'))}
          <input id="order-new-no" required maxLength={64} pattern="[A-Za-z0-9_\-]+" {...field('orderNo')} />
        </label>
        <div class="row wrap">
          <label>
            {t(msg('渠道', 'Channel'))}
            <select
              id="order-new-channel"
              value={form.channel}
              onChange={(e) => setForm({ ...form, channel: e.currentTarget.value })}
            >
              {channelNames.map((c) => (
                <option key={c} value={c}>
                  {t(channel[c])}
                </option>
              ))}
            </select>
          </label>
          <label class="grow">
            {t(msg('客户账号 ID', 'Customer account id'))}
            <input id="order-new-external" required maxLength={200} {...field('externalId')} />
          </label>
        </div>
        <div class="row wrap">
          <label class="grow">
            {t(msg('客户姓名（可选）', 'Customer name (optional)'))}
            <input id="order-new-name" maxLength={100} {...field('name')} />
          </label>
          <label class="grow">
            {t(msg('电话（可选）', 'Phone (optional)'))}
            <input id="order-new-phone" type="tel" maxLength={32} {...field('phone')} />
          </label>
        </div>
        <div class="row wrap">
          <label class="grow">
            {t(msg('商品编码', 'SKU'))}
            <input id="order-new-sku" required maxLength={64} {...field('sku')} />
          </label>
          <label class="grow">
            {t(msg('商品名称', 'Item name'))}
            <input id="order-new-item" required maxLength={200} {...field('itemName')} />
          </label>
        </div>
        <div class="row wrap">
          <label>
            {t(msg('数量', 'Quantity'))}
            <input id="order-new-qty" type="number" min={1} max={10000} required {...field('qty')} />
          </label>
          <label>
            {t(msg('单价（元）', 'Unit price (¥)'))}
            <input id="order-new-price" inputMode="decimal" required {...field('price')} />
          </label>
          <StatusField id="order-new-status" value={form.status} onChange={(status) => setForm({ ...form, status })} />
        </div>
        <p>
          {t(msg('合计', 'Total'))}: <strong id="order-new-total">{total === null ? '—' : money(total)}</strong>
        </p>
        <FormEnd
          problem={problem}
          cancel={t(msg('取消', 'Cancel'))}
          onCancel={props.onClose}
          saveId="order-new-save"
          save={t(msg('创建订单', 'Create order'))}
        />
      </form>
    </Section>
  );
}
