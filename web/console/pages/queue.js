// The live queue and the conversation view: messages, reply box with canned replies, internal
// notes, actions, and the customer's full profile beside it. Updates arrive over SSE.
import { debounce, fen, h, time } from '../dom.js';

const statusLabel = { pending: '排队中 waiting', open: '处理中 open', bot: '机器人 bot', resolved: '已解决 resolved' };

export async function mount(root, { api, me, events, toast }) {
  const list = h('ol', { class: 'queue', id: 'queue' });
  const detail = h(
    'section',
    { class: 'conversation', id: 'conversation' },
    h('p', { class: 'muted' }, '选择一个会话 / pick a conversation'),
  );
  const profile = h('aside', { class: 'profile', id: 'profile' });
  root.append(
    h(
      'div',
      { class: 'desk' },
      h('section', { class: 'queue-pane' }, h('h2', {}, '队列 Queue'), list),
      detail,
      profile,
    ),
  );
  let currentId = Number(location.hash.split('/')[1]) || null;
  let canned = [];
  let staff = [];

  let queueSeq = 0;
  async function loadQueue() {
    const seq = ++queueSeq;
    const { conversations } = await api('GET', '/api/console/queue');
    if (seq !== queueSeq) return;
    list.replaceChildren(
      ...conversations.map((c) =>
        h(
          'li',
          {
            dataset: { id: c.id, status: c.status },
            class: c.id === currentId ? 'selected' : '',
            onclick: () => select(c.id),
          },
          h('strong', {}, c.customer.name ?? `#${c.customer.id}`),
          c.customer.tier !== 'normal' ? h('span', { class: 'tier' }, c.customer.tier) : null,
          h('span', { class: `status ${c.status}` }, statusLabel[c.status] ?? c.status),
          h('small', {}, `${c.chat.channel} · P${c.priority} · ${c.escalationReason ?? ''}`),
          c.assignee ? h('small', {}, `→ ${c.assignee.name}`) : null,
          c.slaBreachedAt
            ? h('span', { class: 'sla breach' }, 'SLA!')
            : c.slaWarnedAt
              ? h('span', { class: 'sla' }, 'SLA')
              : null,
        ),
      ),
    );
    if (conversations.length === 0) list.append(h('li', { class: 'muted' }, '没有等待的会话 / queue is empty'));
  }

  function select(id) {
    currentId = id;
    history.replaceState(null, '', `#queue/${id}`);
    loadQueue();
    loadConversation();
  }

  const act = (path, body) => async () => {
    try {
      await api('POST', `/api/console/conversations/${currentId}/${path}`, body?.());
      await Promise.all([loadQueue(), loadConversation()]);
    } catch (error) {
      toast(error.message);
    }
  };

  // Loads can overlap (a live event and an action's own refresh): only the newest may render, or a
  // slow older response would paint stale messages over fresh ones.
  let loadSeq = 0;
  const drafts = new Map();
  /** One input element per conversation and purpose, reused across renders. */
  function draftField(kind, conversationId, make) {
    const key = `${kind}:${conversationId}`;
    if (!drafts.has(key)) drafts.set(key, make());
    return drafts.get(key);
  }
  async function loadConversation() {
    if (!currentId) return;
    const seq = ++loadSeq;
    let data;
    try {
      data = await api('GET', `/api/console/conversations/${currentId}`);
      if (seq !== loadSeq) return;
    } catch (error) {
      if (seq !== loadSeq) return;
      detail.replaceChildren(h('p', { class: 'error' }, error.message));
      profile.replaceChildren();
      return;
    }
    const c = data.conversation;
    const mine = c.assigneeId === me.id || me.role === 'admin';
    const transferTo = h(
      'select',
      { id: 'transfer-to' },
      ...staff
        .filter((s) => s.id !== c.assigneeId)
        .map((s) => h('option', { value: s.id }, `${s.name}${s.online ? ' ●' : ''}`)),
    );
    // Live updates re-render the view: the agent's half-typed reply and note survive it.
    const replyText = draftField('reply', currentId, () =>
      h('textarea', { id: 'reply-text', rows: 3, placeholder: '回复客户… / reply to the customer' }),
    );
    const noteText = draftField('note', currentId, () =>
      h('input', { id: 'note-text', placeholder: '内部备注（客户看不到） / internal note' }),
    );
    const cannedSelect = h(
      'select',
      { id: 'canned' },
      h('option', { value: '' }, '快捷回复 canned…'),
      ...canned.map((r) => h('option', { value: r.shortcut }, `/${r.shortcut} ${r.text.slice(0, 30)}`)),
    );
    detail.replaceChildren(
      h(
        'header',
        {},
        h('h2', {}, `#${c.id} ${data.customer.name ?? ''}`),
        h('span', { class: `status ${c.status}`, id: 'conversation-status' }, statusLabel[c.status] ?? c.status),
        c.assignee ? h('span', {}, ` → ${c.assignee.name}`) : null,
        c.firstResponseDueAt && !c.firstResponseAt
          ? h('small', {}, ` 首次响应截止 ${time(c.firstResponseDueAt)}`)
          : null,
      ),
      h(
        'div',
        { class: 'actions' },
        c.status === 'pending' || (c.status === 'open' && c.assigneeId !== me.id && me.role === 'admin')
          ? h('button', { id: 'take', onclick: act('take') }, '接手 Take')
          : null,
        c.status === 'open' && mine
          ? [
              transferTo,
              h(
                'button',
                { id: 'transfer', onclick: act('transfer', () => ({ staffId: Number(transferTo.value) })) },
                '转交 Transfer',
              ),
              h('button', { id: 'requeue', onclick: act('requeue') }, '退回队列 Requeue'),
            ]
          : null,
        c.status === 'pending' && me.role === 'admin'
          ? [
              transferTo,
              h(
                'button',
                { id: 'assign', onclick: act('transfer', () => ({ staffId: Number(transferTo.value) })) },
                '分配 Assign',
              ),
            ]
          : null,
        ['pending', 'open'].includes(c.status) && mine
          ? h('button', { id: 'release', onclick: act('release') }, '交还机器人 Release')
          : null,
        c.status !== 'resolved' && mine
          ? h('button', { id: 'resolve', class: 'primary', onclick: act('resolve') }, '解决 Resolve')
          : null,
      ),
      h(
        'ol',
        { class: 'messages', id: 'messages' },
        ...data.messages.map((m) =>
          h(
            'li',
            { class: `${m.direction} ${m.kind}` },
            h('small', {}, `${time(m.createdAt)} · ${m.kind}`),
            h('div', {}, m.text ?? ''),
          ),
        ),
      ),
      c.status === 'resolved'
        ? null
        : h(
            'form',
            {
              class: 'reply',
              id: 'reply-form',
              onsubmit: (event) => {
                event.preventDefault();
                const text = replyText.value.trim();
                if (!text) return;
                act('reply', () => ({ text }))().then(() => {
                  replyText.value = '';
                });
              },
            },
            replyText,
            h(
              'div',
              {},
              cannedSelect,
              h(
                'button',
                {
                  type: 'button',
                  id: 'send-canned',
                  onclick: () => cannedSelect.value && act('reply', () => ({ shortcut: cannedSelect.value }))(),
                },
                '发送快捷回复',
              ),
              h('button', { type: 'submit', id: 'reply-send', class: 'primary' }, '发送 Send'),
            ),
          ),
      h(
        'form',
        {
          class: 'note',
          onsubmit: (event) => {
            event.preventDefault();
            const text = noteText.value.trim();
            if (text)
              act('notes', () => ({ text }))().then(() => {
                noteText.value = '';
              });
          },
        },
        noteText,
        h('button', { type: 'submit', id: 'note-add' }, '备注 Note'),
      ),
    );
    const messages = detail.querySelector('#messages');
    messages.scrollTop = messages.scrollHeight;
    renderProfile(data);
  }

  function renderProfile(data) {
    const p = data.customer;
    const section = (title, ...rows) => h('section', {}, h('h3', {}, title), ...rows);
    profile.replaceChildren(
      h('h2', {}, p.name ?? `#${p.id}`),
      h(
        'dl',
        {},
        h('dt', {}, '等级 Tier'),
        h('dd', { id: 'profile-tier' }, p.tier),
        h('dt', {}, '积分 Points'),
        h('dd', {}, p.pointsBalance),
        h('dt', {}, '电话 Phone'),
        h('dd', {}, p.phone ?? '–'),
        h('dt', {}, '消费 Spent'),
        h('dd', {}, `${fen(p.totalSpent)} · ${p.orderCount} 单`),
        h('dt', {}, '阶段 Stage'),
        h('dd', {}, p.lifecycleStage),
      ),
      section(
        '身份 Identities',
        h('ul', {}, ...data.identities.map((i) => h('li', {}, `${i.channel}: ${i.displayName ?? i.externalId}`))),
      ),
      section('标签 Tags', h('p', {}, data.tags.join(', ') || '–')),
      section(
        '订单 Orders',
        h('ul', {}, ...data.orders.map((o) => h('li', {}, `${o.orderNo} · ${o.status} · ${fen(o.total)}`))),
      ),
      section(
        '工单 Cases',
        h(
          'ul',
          {},
          ...data.cases.map((c) =>
            h('li', {}, `${c.caseNo} · ${c.type} · ${c.status}${c.severity ? ` · S${c.severity}` : ''}`),
          ),
        ),
      ),
      section('备注 Notes', h('ul', {}, ...data.notes.map((n) => h('li', {}, n.text)))),
      section(
        '时间线 Timeline',
        h(
          'ol',
          { class: 'timeline' },
          ...data.timeline.map((i) =>
            h('li', {}, h('small', {}, `${time(i.createdAt)} ${i.channel}/${i.kind}`), ' ', i.text ?? ''),
          ),
        ),
      ),
    );
  }

  [canned, staff] = await Promise.all([
    api('GET', '/api/console/canned').then((r) => r.cannedReplies),
    api('GET', '/api/console/staff').then((r) => r.staff),
  ]);
  await loadQueue();
  await loadConversation();
  const refreshQueue = debounce(loadQueue);
  const refreshConversation = debounce(loadConversation);
  return events.on((type, data) => {
    if (type === 'conversation' || type === 'interaction' || type === 'desk') refreshQueue();
    const id = data.conversationId ?? data.id;
    if (currentId && id === currentId) refreshConversation();
  });
}
