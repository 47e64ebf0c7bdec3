// Admin page: staff accounts (create, online/capacity, issue API token) and canned replies.
import { h } from '../dom.js';

export async function mount(root, { api, toast }) {
  const body = h('div', { class: 'staff-admin' });
  root.append(h('h2', {}, '员工与快捷回复 Staff & canned replies'), body);

  async function render() {
    const [{ staff }, { cannedReplies }] = await Promise.all([
      api('GET', '/api/console/staff'),
      api('GET', '/api/console/canned'),
    ]);
    const form = h(
      'form',
      { class: 'inline' },
      h('input', { name: 'username', placeholder: 'username', required: true }),
      h('input', { name: 'name', placeholder: '姓名 name', required: true }),
      h('input', { name: 'password', type: 'password', placeholder: 'password (8+)' }),
      h('select', { name: 'role' }, h('option', { value: 'agent' }, 'agent'), h('option', { value: 'admin' }, 'admin')),
      h('input', { name: 'capacity', type: 'number', min: 1, max: 100, placeholder: 'capacity' }),
      h('button', { type: 'submit' }, '添加 Add'),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const f = new FormData(form);
      const input = { username: f.get('username'), name: f.get('name'), role: f.get('role') };
      if (f.get('password')) input.password = f.get('password');
      if (f.get('capacity')) input.capacity = Number(f.get('capacity'));
      try {
        await api('POST', '/api/console/staff', input);
        await render();
      } catch (error) {
        toast(error.message);
      }
    });
    const cannedForm = h(
      'form',
      { class: 'inline' },
      h('input', { name: 'shortcut', placeholder: 'shortcut', required: true }),
      h('input', { name: 'text', placeholder: '中文', required: true, size: 40 }),
      h('input', { name: 'textEn', placeholder: 'English', size: 30 }),
      h('button', { type: 'submit' }, '保存 Save'),
    );
    cannedForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const f = new FormData(cannedForm);
      try {
        await api('PUT', `/api/console/canned/${encodeURIComponent(f.get('shortcut'))}`, {
          text: f.get('text'),
          ...(f.get('textEn') ? { textEn: f.get('textEn') } : {}),
        });
        await render();
      } catch (error) {
        toast(error.message);
      }
    });
    body.replaceChildren(
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h('tr', {}, ...['id', 'username', '姓名', 'role', 'online', 'capacity', ''].map((x) => h('th', {}, x))),
        ),
        h(
          'tbody',
          {},
          ...staff.map((s) =>
            h(
              'tr',
              {},
              ...[s.id, s.username, s.name, s.role, s.online ? '●' : '○', s.capacity].map((x) => h('td', {}, x)),
              h(
                'td',
                {},
                h(
                  'button',
                  {
                    onclick: async () => {
                      const { token } = await api('POST', `/api/console/staff/${s.id}/token`);
                      toast(`${s.username} token (shown once): ${token}`);
                    },
                  },
                  '签发令牌 Issue token',
                ),
              ),
            ),
          ),
        ),
      ),
      form,
      h('h3', {}, '快捷回复 Canned replies'),
      h(
        'ul',
        {},
        ...cannedReplies.map((r) =>
          h('li', {}, h('code', {}, `/${r.shortcut}`), ` ${r.text}`, r.textEn ? ` · ${r.textEn}` : ''),
        ),
      ),
      cannedForm,
    );
  }
  await render();
}
