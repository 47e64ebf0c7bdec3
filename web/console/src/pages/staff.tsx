// Staff & canned replies (admin): accounts (create, edit name/role/capacity/Telegram id, reset the
// password, deactivate and reactivate, issue an API token shown once), canned replies (edit, delete).
import { useState } from 'preact/hooks';
import type { StaffRole } from '../../../../src/domain/staff.ts';
import type { StaffView } from '../../../../src/http/schemas/console.ts';
import { api } from '../api.ts';
import { useSession } from '../app.tsx';
import { msg, useLanguage } from '../i18n.ts';
import {
  ActionButton,
  Badge,
  Dialog,
  EditButton,
  errorText,
  Field,
  Loading,
  Section,
  Switch,
  Table,
  useLoad,
  useToast,
} from '../ui.tsx';
import { role } from '../words.ts';

export function StaffPage() {
  return (
    <div class="stack">
      <StaffAccounts />
      <CannedReplies />
      <ShopSettings />
    </div>
  );
}

function StaffAccounts() {
  const { t } = useLanguage();
  const toast = useToast();
  const { me } = useSession();
  const { data, error, reload } = useLoad(() => api.staff(true), []);
  const [issued, setIssued] = useState<{ staff: StaffView; token: string } | null>(null);
  const [editing, setEditing] = useState<StaffView | null>(null);
  const [form, setForm] = useState({
    username: '',
    name: '',
    password: '',
    role: 'agent' as StaffRole,
    capacity: '',
    telegramUserId: '',
  });
  return (
    <Section title={t(msg('员工账号', 'Staff accounts'))}>
      {data ? (
        <Table
          id="staff"
          head={[
            t(msg('用户名', 'Username')),
            t(msg('姓名', 'Name')),
            t(msg('角色', 'Role')),
            t(msg('状态', 'Status')),
            t(msg('同时接待上限', 'Capacity')),
            t(msg('Telegram 用户 ID', 'Telegram user id')),
            { hidden: t(msg('操作', 'Actions')) },
          ]}
        >
          {data.staff.map((s) => (
            <tr key={s.id} data-username={s.username} class={s.active ? '' : 'inactive'}>
              <td>{s.username}</td>
              <td>{s.name}</td>
              <td>{t(role[s.role])}</td>
              <td>
                {s.active ? (
                  s.online ? (
                    t(msg('在线', 'Online'))
                  ) : (
                    t(msg('离线', 'Offline'))
                  )
                ) : (
                  <Badge tone="cancelled">{t(msg('已停用', 'Deactivated'))}</Badge>
                )}
              </td>
              <td>{s.capacity ?? '–'}</td>
              <td>{s.telegramUserId ?? '–'}</td>
              <td class="row">
                <EditButton onEdit={() => setEditing(s)} />
                {s.active ? (
                  <ActionButton
                    class="issue-token"
                    run={async () => {
                      if (s.id === null) return;
                      const { token } = await api.issueToken(s.id);
                      setIssued({ staff: s, token });
                    }}
                  >
                    {t(msg('签发 API 令牌', 'Issue an API token'))}
                  </ActionButton>
                ) : null}
                {s.id !== me.id ? (
                  <ActionButton
                    class="toggle-active"
                    run={async () => {
                      if (s.id === null) return;
                      await api.updateStaff(s.id, { active: !s.active });
                      toast(
                        s.active
                          ? t(msg('已停用 {name}，其登录已全部结束', '{name} deactivated; their sessions ended'), {
                              name: s.name,
                            })
                          : t(msg('已重新启用 {name}', '{name} reactivated'), { name: s.name }),
                      );
                      await reload();
                    }}
                  >
                    {s.active ? t(msg('停用', 'Deactivate')) : t(msg('启用', 'Reactivate'))}
                  </ActionButton>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <Loading error={error} />
      )}
      <h3>{t(msg('添加员工', 'Add staff'))}</h3>
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
              ...(form.telegramUserId.trim() ? { telegramUserId: form.telegramUserId.trim() } : {}),
            });
            setForm({ ...form, username: '', name: '', password: '', capacity: '', telegramUserId: '' });
            toast(t(msg('账号已创建', 'Account created')));
            await reload();
          } catch (error) {
            toast(errorText(error), { tone: 'error' });
          }
        }}
      >
        <Field
          label={t(msg('用户名', 'Username'))}
          required
          id="staff-username"
          value={form.username}
          onValue={(value) => setForm({ ...form, username: value })}
        />
        <Field
          label={t(msg('姓名', 'Name'))}
          required
          id="staff-name"
          value={form.name}
          onValue={(value) => setForm({ ...form, name: value })}
        />
        <Field
          label={t(msg('密码（至少 8 位）', 'Password (8+ characters)'))}
          type="password"
          id="staff-password"
          autocomplete="new-password"
          value={form.password}
          onValue={(value) => setForm({ ...form, password: value })}
        />
        <RoleSelect value={form.role} onValue={(value) => setForm({ ...form, role: value })} />
        <Field
          label={t(msg('同时接待上限', 'Capacity'))}
          type="number"
          min={1}
          max={100}
          value={form.capacity}
          onValue={(value) => setForm({ ...form, capacity: value })}
        />
        <Field
          label={t(msg('Telegram 用户 ID', 'Telegram user id'))}
          inputMode="numeric"
          value={form.telegramUserId}
          onValue={(value) => setForm({ ...form, telegramUserId: value })}
        />
        <button type="submit" class="primary" id="staff-add">
          {t(msg('添加员工', 'Add staff'))}
        </button>
      </form>
      <Dialog
        open={editing !== null}
        title={t(msg('编辑员工账号', 'Edit the staff account'))}
        onClose={() => setEditing(null)}
      >
        {editing ? (
          <StaffEditor
            staff={editing}
            self={editing.id === me.id}
            onDone={async (saved) => {
              setEditing(null);
              if (saved) await reload();
            }}
          />
        ) : null}
      </Dialog>
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

/** The role of an account, in the account forms. */
function RoleSelect(props: { id?: string; disabled?: boolean; value: StaffRole; onValue: (role: StaffRole) => void }) {
  const { t } = useLanguage();
  return (
    <label>
      {t(msg('角色', 'Role'))}
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onValue(e.currentTarget.value === 'admin' ? 'admin' : 'agent')}
      >
        <option value="agent">{t(role.agent)}</option>
        <option value="admin">{t(role.admin)}</option>
      </select>
    </label>
  );
}

/**
 * One account's name, role, capacity and Telegram id, and a new password (the admin tells it to the
 * person; it ends their console sessions). Only what changed is sent.
 */
function StaffEditor(props: { staff: StaffView; self: boolean; onDone: (saved: boolean) => Promise<void> }) {
  const { t } = useLanguage();
  const toast = useToast();
  const s = props.staff;
  const [form, setForm] = useState({
    name: s.name,
    role: s.role,
    capacity: s.capacity === null ? '' : String(s.capacity),
    telegramUserId: s.telegramUserId ?? '',
    wecomUserId: s.wecomUserId ?? '',
    password: '',
  });
  return (
    <form
      class="stack"
      id="staff-edit"
      onSubmit={async (e) => {
        e.preventDefault();
        if (s.id === null) return;
        const telegram = form.telegramUserId.trim();
        const wecom = form.wecomUserId.trim();
        const patch = {
          ...(form.name.trim() !== s.name ? { name: form.name } : {}),
          ...(form.role !== s.role ? { role: form.role } : {}),
          ...(form.capacity !== '' && Number(form.capacity) !== s.capacity ? { capacity: Number(form.capacity) } : {}),
          ...(telegram !== (s.telegramUserId ?? '') ? { telegramUserId: telegram === '' ? null : telegram } : {}),
          ...(wecom !== (s.wecomUserId ?? '') ? { wecomUserId: wecom === '' ? null : wecom } : {}),
          ...(form.password ? { password: form.password } : {}),
        };
        if (Object.keys(patch).length === 0) {
          await props.onDone(false);
          return;
        }
        try {
          await api.updateStaff(s.id, patch);
          toast(
            form.password
              ? t(
                  msg(
                    '已保存；新密码已生效，其原有登录已结束',
                    'Saved; the new password works now and their sessions ended',
                  ),
                )
              : t(msg('已保存', 'Saved')),
          );
          await props.onDone(true);
        } catch (error) {
          toast(errorText(error), { tone: 'error' });
        }
      }}
    >
      <p class="muted">
        {t(msg('用户名', 'Username'))}: <strong>{s.username}</strong>
      </p>
      <Field
        label={t(msg('姓名', 'Name'))}
        required
        id="edit-name"
        value={form.name}
        onValue={(value) => setForm({ ...form, name: value })}
      />
      <RoleSelect
        id="edit-role"
        disabled={props.self}
        value={form.role}
        onValue={(value) => setForm({ ...form, role: value })}
      />
      <Field
        label={t(msg('同时接待上限', 'Capacity'))}
        type="number"
        id="edit-capacity"
        min={1}
        max={100}
        value={form.capacity}
        onValue={(value) => setForm({ ...form, capacity: value })}
      />
      <Field
        label={t(msg('Telegram 用户 ID（空 = 不绑定）', 'Telegram user id (empty = none)'))}
        id="edit-telegram"
        inputMode="numeric"
        value={form.telegramUserId}
        onValue={(value) => setForm({ ...form, telegramUserId: value })}
      />
      <Field
        label={t(
          msg('企业微信 userid（微信客服接待人员，空 = 不绑定）', 'WeCom userid (微信客服 servicer, empty = none)'),
        )}
        id="edit-wecom"
        autocomplete="off"
        value={form.wecomUserId}
        onValue={(value) => setForm({ ...form, wecomUserId: value })}
      />
      <Field
        label={t(msg('重置密码（至少 8 位，空 = 不改）', 'Reset the password (8+ characters, empty = keep)'))}
        type="password"
        id="edit-password"
        autocomplete="new-password"
        value={form.password}
        onValue={(value) => setForm({ ...form, password: value })}
      />
      <div class="row">
        <button type="submit" class="primary" id="edit-save">
          {t(msg('保存', 'Save'))}
        </button>
        <button type="button" onClick={() => props.onDone(false)}>
          {t(msg('取消', 'Cancel'))}
        </button>
      </div>
    </form>
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
            <li key={r.shortcut} data-shortcut={r.shortcut}>
              <code>/{r.shortcut}</code> {r.text}
              {r.textEn ? <span class="muted"> · {r.textEn}</span> : null}{' '}
              <button
                type="button"
                class="link"
                onClick={() => setForm({ shortcut: r.shortcut, text: r.text, textEn: r.textEn ?? '' })}
              >
                {t(msg('编辑', 'Edit'))}
              </button>{' '}
              <ActionButton
                class="link canned-delete"
                aria-label={t(msg('删除 /{shortcut}', 'Delete /{shortcut}'), { shortcut: r.shortcut })}
                run={async () => {
                  await api.deleteCanned(r.shortcut);
                  toast(t(msg('已删除 /{shortcut}', 'Deleted /{shortcut}'), { shortcut: r.shortcut }));
                  await reload();
                }}
              >
                {t(msg('删除', 'Delete'))}
              </ActionButton>
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
            toast(errorText(error), { tone: 'error' });
          }
        }}
      >
        <Field
          label={t(msg('快捷键', 'Shortcut'))}
          required
          value={form.shortcut}
          onValue={(value) => setForm({ ...form, shortcut: value })}
        />
        <Field
          label={t(msg('中文', 'Chinese'))}
          labelClass="grow"
          required
          value={form.text}
          onValue={(value) => setForm({ ...form, text: value })}
        />
        <Field
          label={t(msg('英文', 'English'))}
          labelClass="grow"
          value={form.textEn}
          onValue={(value) => setForm({ ...form, textEn: value })}
        />
        <button type="submit" id="canned-save">
          {t(msg('保存', 'Save'))}
        </button>
      </form>
    </Section>
  );
}

/**
 * The shop settings that are safe to change while the shop runs: how the webchat widget looks and
 * what it asks first. Time zone, language and quiet hours come from the server's settings (.env)
 * and are shown for reference.
 */
function ShopSettings() {
  const { t } = useLanguage();
  const toast = useToast();
  const { shop } = useSession();
  const { data, error, reload } = useLoad(() => api.webchatSettings(), []);
  const [form, setForm] = useState<{
    title: string;
    logoUrl: string;
    color: string;
    name: boolean;
    phone: boolean;
  } | null>(null);
  const current =
    form ??
    (data
      ? {
          title: data.title,
          logoUrl: data.logoUrl ?? '',
          color: data.color,
          name: data.preChat.name,
          phone: data.preChat.phone,
        }
      : null);
  return (
    <Section title={t(msg('店铺设置', 'Shop settings'))}>
      <dl class="facts" id="shop-facts">
        <dt>{t(msg('时区', 'Time zone'))}</dt>
        <dd>{shop.timezone}</dd>
        <dt>{t(msg('默认语言', 'Default language'))}</dt>
        <dd>{shop.locale === 'en' ? 'English' : '简体中文'}</dd>
        <dt>{t(msg('免打扰时段', 'Quiet hours'))}</dt>
        <dd>{shop.quietHours || t(msg('无', 'None'))}</dd>
      </dl>
      <p class="muted">
        {t(
          msg(
            '以上三项在服务器配置（.env）中设置，修改后需重启。下面的网页聊天设置保存后立即生效。',
            'These three are set in the server settings (.env) and need a restart. The webchat settings below apply as soon as they are saved.',
          ),
        )}
      </p>
      <h3>{t(msg('网页聊天窗口', 'Webchat widget'))}</h3>
      {current ? (
        <form
          class="row wrap"
          id="widget-form"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await api.saveWebchatSettings({
                title: current.title,
                ...(current.logoUrl.trim() ? { logoUrl: current.logoUrl.trim() } : {}),
                color: current.color,
                preChat: { name: current.name, phone: current.phone },
              });
              setForm(null);
              toast(t(msg('网页聊天设置已保存', 'Webchat settings saved')));
              await reload();
            } catch (error) {
              toast(errorText(error), { tone: 'error' });
            }
          }}
        >
          <Field
            label={t(msg('窗口标题', 'Title'))}
            labelClass="grow"
            required
            maxLength={60}
            id="widget-title"
            value={current.title}
            onValue={(value) => setForm({ ...current, title: value })}
          />
          <Field
            label={t(msg('标志图片地址（https://）', 'Logo URL (https://)'))}
            labelClass="grow"
            id="widget-logo"
            value={current.logoUrl}
            onValue={(value) => setForm({ ...current, logoUrl: value })}
          />
          <Field
            label={t(msg('主题色', 'Colour'))}
            type="color"
            id="widget-color"
            value={current.color}
            onValue={(value) => setForm({ ...current, color: value })}
          />
          <fieldset>
            <legend>{t(msg('聊天前询问', 'Ask before the chat'))}</legend>
            <Switch
              label={t(msg('姓名', 'Name'))}
              id="widget-ask-name"
              checked={current.name}
              onValue={(value) => setForm({ ...current, name: value })}
            />
            <Switch
              label={t(msg('手机号', 'Phone'))}
              id="widget-ask-phone"
              checked={current.phone}
              onValue={(value) => setForm({ ...current, phone: value })}
            />
          </fieldset>
          <button type="submit" class="primary" id="widget-save">
            {t(msg('保存', 'Save'))}
          </button>
        </form>
      ) : (
        <Loading error={error} />
      )}
    </Section>
  );
}
