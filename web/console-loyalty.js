// Loyalty console page: ledger view, manual adjustment (reason required), CSV export, rewards catalog, verify.
const { api, download, el, table, show, fail } = window.guanxi;
const $ = (id) => document.getElementById(id);

async function loadLedger() {
  const id = $('customerId').value;
  if (!id) return;
  try {
    const data = await api('GET', `/api/customers/${id}/points?take=200`);
    const expiring = data.expiringSoon.points
      ? ` · ${data.expiringSoon.points} 即将过期 / expiring ${data.expiringSoon.at.slice(0, 10)}`
      : '';
    show(
      'ledger',
      el(
        'p',
        {},
        `余额 / balance: ${data.balance} (cache ${data.cachedBalance}) · 等级 / tier: ${data.tier}${expiring}`,
      ),
      table(
        ['#', 'time', 'kind', 'amount', 'reason', 'reference', 'key', 'expires', 'left'],
        data.entries.map((e) => [
          e.id,
          e.createdAt.replace('T', ' ').slice(0, 16),
          e.kind,
          el('span', { class: e.amount >= 0 ? 'pos' : 'neg' }, e.amount),
          e.reason,
          e.reference || '',
          e.idempotencyKey,
          e.expiresAt ? e.expiresAt.slice(0, 10) : '',
          e.remaining ?? '',
        ]),
      ),
    );
  } catch (error) {
    fail('ledger', error);
  }
}

async function loadRewards() {
  try {
    const { rewards } = await api('GET', '/api/rewards?all=true');
    show(
      'rewards',
      table(
        ['ID', '名称 name', 'kind', 'cost', 'stock', 'codes left', 'active'],
        rewards.map((r) => [
          r.id,
          r.nameEn ? `${r.name} / ${r.nameEn}` : r.name,
          r.kind,
          r.cost,
          r.stock ?? '∞',
          r.codesLeft,
          r.active ? '✓' : '✗',
        ]),
      ),
    );
  } catch (error) {
    fail('rewards', error);
  }
}

$('lookup').addEventListener('submit', (event) => {
  event.preventDefault();
  loadLedger();
});
$('export').addEventListener('click', async () => {
  const id = $('customerId').value;
  try {
    await download(
      id ? `/api/customers/${id}/points.csv` : '/api/points/export.csv',
      id ? `points-${id}.csv` : 'points-ledger.csv',
    );
  } catch (error) {
    fail('ledger', error);
  }
});
$('adjust').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const result = await api('POST', `/api/customers/${$('customerId').value}/points/adjust`, {
      amount: Number($('amount').value),
      reason: $('reason').value,
    });
    show('adjustResult', el('p', { class: 'ok' }, `✓ balance ${result.balance}`));
    loadLedger();
  } catch (error) {
    fail('adjustResult', error);
  }
});
$('newReward').addEventListener('submit', async (event) => {
  event.preventDefault();
  const stock = $('rStock').value;
  try {
    await api('POST', '/api/rewards', {
      name: $('rName').value,
      ...($('rNameEn').value ? { nameEn: $('rNameEn').value } : {}),
      kind: $('rKind').value,
      cost: Number($('rCost').value),
      stock: stock === '' ? null : Number(stock),
    });
    show('rewardResult', el('p', { class: 'ok' }, '✓'));
    loadRewards();
  } catch (error) {
    fail('rewardResult', error);
  }
});
$('codes').addEventListener('submit', async (event) => {
  event.preventDefault();
  const codes = $('cList').value.split(/\s+/).filter(Boolean);
  try {
    const result = await api('POST', `/api/rewards/${$('cReward').value}/codes`, { codes });
    show('rewardResult', el('p', { class: 'ok' }, `✓ added ${result.added}, skipped ${result.skipped}`));
    loadRewards();
  } catch (error) {
    fail('rewardResult', error);
  }
});
$('verify').addEventListener('click', async () => {
  try {
    const result = await api('GET', '/api/points/verify');
    show(
      'verifyResult',
      result.ok
        ? el('p', { class: 'ok' }, '✓ 所有余额与流水一致 / all balances match the ledger')
        : table(
            ['customer', 'cached', 'ledger'],
            result.mismatches.map((m) => [m.customerId, m.cached, m.ledger]),
          ),
    );
  } catch (error) {
    fail('verifyResult', error);
  }
});

const params = new URLSearchParams(location.search);
if (params.get('customer')) {
  $('customerId').value = params.get('customer');
  loadLedger();
}
loadRewards();
