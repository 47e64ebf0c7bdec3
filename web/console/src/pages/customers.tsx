// Customers: search by name or phone, and a customer's profile as its own page.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useSession } from '../app.tsx';
import { date, money, msg, useLanguage } from '../i18n.ts';
import { Badge, Loading, Section, Table, useLoad } from '../ui.tsx';
import { lifecycle, tier } from '../words.ts';
import { ProfilePanel } from './profile.tsx';

export function CustomersPage() {
  const lang = useLanguage();
  const { t } = lang;
  const [q, setQ] = useState('');
  const { data, error } = useLoad(() => api.customers(q), [q]);
  return (
    <Section title={t(msg('客户', 'Customers'))}>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label class="grow">
          <span class="visually-hidden">{t(msg('搜索客户', 'Search customers'))}</span>
          <input
            type="search"
            id="customer-search"
            placeholder={t(msg('姓名或电话', 'Name or phone'))}
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
          />
        </label>
      </form>
      {data ? (
        <Table
          id="customers"
          head={[
            t(msg('客户', 'Customer')),
            t(msg('等级', 'Tier')),
            t(msg('阶段', 'Stage')),
            t(msg('积分', 'Points')),
            t(msg('消费', 'Spent')),
            t(msg('最近', 'Last seen')),
          ]}
        >
          {data.customers.map((c) => (
            <tr key={c.id}>
              <td>
                <a href={`/console/customers/${c.id}`}>{c.name ?? t(msg('未留名客户', 'Unnamed customer'))}</a>
                {c.phone ? <div class="muted">{c.phone}</div> : null}
              </td>
              <td>
                <Badge tone="tier">{t(tier[c.tier])}</Badge>
              </td>
              <td>{t(lifecycle[c.lifecycleStage])}</td>
              <td>{c.pointsBalance}</td>
              <td>{money(c.totalSpent)}</td>
              <td>{date(lang, c.lastSeenAt)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <Loading error={error} />
      )}
    </Section>
  );
}

export function CustomerPage(props: { id?: string }) {
  const { t } = useLanguage();
  const { me } = useSession();
  const id = Number(props.id);
  return (
    <div class="customer-page">
      <p>
        {me.role === 'admin' ? (
          <a href="/console/customers">← {t(msg('全部客户', 'All customers'))}</a>
        ) : (
          <a href="/console/queue">← {t(msg('回到会话', 'Back to conversations'))}</a>
        )}
      </p>
      <section class="card">{Number.isInteger(id) && id > 0 ? <ProfilePanel customerId={id} /> : null}</section>
    </div>
  );
}
