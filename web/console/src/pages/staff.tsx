// Staff & canned replies (admin): accounts (create, issue an API token shown once), canned replies.
import { useState } from 'preact/hooks';
import type { StaffView } from '../../../../src/http/schemas/console.ts';
import { api } from '../api.ts';
import { msg, useLanguage } from '../i18n.ts';
import { ActionButton, Dialog, Loading, Section, useLoad, useToast } from '../ui.tsx';
import { role } from '../words.ts';

export function StaffPage() {
  return (
    <div class="stack">
      <StaffAccounts />
      <CannedReplies />
    </div>
  );
}

function StaffAccounts() {
  const { t } = useLanguage();
  const toast = useToast();
  const { data, error, reload } = useLoad(() => api.staff(), []);
  const [issued, setIssued] = useState<{ staff: StaffView; token: string } | null>(null);
  const [form, setForm] = useState({
    username: '',
    name: '',
    password: '',
    role: 'agent' as 'agent' | 'admin',
    capacity: '',
  });
  return (
    <Section title={t(msg('员工账号', 'Staff accounts'))}>
      {data ? (
        <div class="table-wrap">
          <table id="staff">
            <thead>
              <tr>
                <th>{t(msg('用户名', 'Username'))}</th>
                <th>{t(msg('姓名', 'Name'))}</th>
                <th>{t(msg('角色', 'Role'))}</th>
                <th>{t(msg('在线', 'Online'))}</th>
                <th>{t(msg('同时接待上限', 'Capacity'))}</th>
                <th>
                  <span class="visually-hidden">{t(msg('操作', 'Actions'))}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.staff.map((s) => (
                <tr key={s.id}>
                  <td>{s.username}</td>
                  <td>{s.name}</td>
                  <td>{t(role[s.role])}</td>
                  <td>{s.online ? t(msg('在线', 'Online')) : t(msg('离线', 'Offline'))}</td>
                  <td>{s.capacity}</td>
                  <td>
                    <ActionButton
                      run={async () => {
                        if (s.id === null) return;
                        const { token } = await api.issueToken(s.id);
                        setIssued({ staff: s, token });
                      }}
                    >
                      {t(msg('签发 API 令牌', 'Issue an API token'))}
                    </ActionButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Loading error={error} />
      )}
      <form
        class="row wrap"
        id="staff-form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api.createStaff({
              username: form.username,
              name: form.name,
              role: form.role,
              ...(form.password ? { password: form.password } : {}),
              ...(form.capacity ? { capacity: Number(form.capacity) } : {}),
            });
            setForm({ ...form, username: '', name: '', password: '', capacity: '' });
            toast(t(msg('账号已创建', 'Account created')));
            await reload();
          } catch (error) {
            toast(error instanceof Error ? error.message : String(error), { tone: 'error' });
          }
        }}
      >
        <label>
          {t(msg('用户名', 'Username'))}
          <input
            required
            value={form.username}
            onInput={(e) => setForm({ ...form, username: e.currentTarget.value })}
          />
        </label>
        <label>
          {t(msg('姓名', 'Name'))}
          <input required value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </label>
        <label>
          {t(msg('密码（至少 8 位）', 'Password (8+ characters)'))}
          <input
            type="password"
            autocomplete="new-password"
            value={form.password}
            onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
          />
        </label>
        <label>
          {t(msg('角色', 'Role'))}
          <select
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.currentTarget.value === 'admin' ? 'admin' : 'agent' })}
          >
            <option value="agent">{t(role.agent)}</option>
            <option value="admin">{t(role.admin)}</option>
          </select>
        </label>
        <label>
          {t(msg('同时接待上限', 'Capacity'))}
          <input
            type="number"
            min={1}
            max={100}
            value={form.capacity}
            onInput={(e) => setForm({ ...form, capacity: e.currentTarget.value })}
          />
        </label>
        <button type="submit" class="primary">
          {t(msg('添加员工', 'Add staff'))}
        </button>
      </form>
      <Dialog open={issued !== null} title={t(msg('API 令牌', 'API token'))} onClose={() => setIssued(null)}>
        {issued ? (
          <div class="stack">
            <p>
              {t(
                msg(
                  '{name} 的新令牌只显示这一次，请妥善保存（旧令牌已失效）：',
                  'The new token of {name} is shown only this once; keep it safe (the old one no longer works):',
                ),
                {
                  name: issued.staff.name,
                },
              )}
            </p>
            <code class="token" id="issued-token">
              {issued.token}
            </code>
            <button type="button" onClick={() => setIssued(null)}>
              {t(msg('好的', 'Done'))}
            </button>
          </div>
        ) : null}
      </Dialog>
    </Section>
  );
}

function CannedReplies() {
  const { t } = useLanguage();
  const toast = useToast();
  const { data, error, reload } = useLoad(() => api.canned(), []);
  const [form, setForm] = useState({ shortcut: '', text: '', textEn: '' });
  return (
    <Section title={t(msg('快捷回复', 'Canned replies'))}>
      {data ? (
        <ul class="list" id="canned">
          {data.cannedReplies.map((r) => (
            <li key={r.shortcut}>
              <code>/{r.shortcut}</code> {r.text}
              {r.textEn ? <span class="muted"> · {r.textEn}</span> : null}{' '}
              <button
                type="button"
                class="link"
                onClick={() => setForm({ shortcut: r.shortcut, text: r.text, textEn: r.textEn ?? '' })}
              >
                {t(msg('编辑', 'Edit'))}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <Loading error={error} />
      )}
      <form
        class="row wrap"
        id="canned-form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api.saveCanned(form.shortcut, { text: form.text, ...(form.textEn ? { textEn: form.textEn } : {}) });
            setForm({ shortcut: '', text: '', textEn: '' });
            toast(t(msg('快捷回复已保存', 'Canned reply saved')));
            await reload();
          } catch (error) {
            toast(error instanceof Error ? error.message : String(error), { tone: 'error' });
          }
        }}
      >
        <label>
          {t(msg('快捷键', 'Shortcut'))}
          <input
            required
            value={form.shortcut}
            onInput={(e) => setForm({ ...form, shortcut: e.currentTarget.value })}
          />
        </label>
        <label class="grow">
          {t(msg('中文', 'Chinese'))}
          <input required value={form.text} onInput={(e) => setForm({ ...form, text: e.currentTarget.value })} />
        </label>
        <label class="grow">
          {t(msg('英文', 'English'))}
          <input value={form.textEn} onInput={(e) => setForm({ ...form, textEn: e.currentTarget.value })} />
        </label>
        <button type="submit" id="canned-save">
          {t(msg('保存', 'Save'))}
        </button>
      </form>
    </Section>
  );
}
