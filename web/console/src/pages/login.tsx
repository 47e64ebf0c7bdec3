// Login: username and password, or a token (a staff token, or the ADMIN_TOKEN printed at first start).
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { type Locale, msg, useLanguage } from '../i18n.ts';
import { session } from '../session.ts';

export function LoginPage(props: {
  onSignedIn: () => Promise<void>;
  locale: Locale;
  setLocale: (l: Locale) => Promise<void>;
}) {
  const { t } = useLanguage();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const token = String(form.get('token') ?? '').trim();
    const body = token
      ? { token }
      : { username: String(form.get('username') ?? '').trim(), password: String(form.get('password') ?? '') };
    setBusy(true);
    setError('');
    try {
      session.token = null;
      const result = await api.login(body);
      session.token = result.token;
      await props.onSignedIn();
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401
          ? t(msg('用户名、密码或令牌不对', 'Wrong username, password or token'))
          : e instanceof Error
            ? e.message
            : String(e),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="login-page">
      <form class="login card" id="login-form" onSubmit={submit}>
        <div class="login-head">
          <h1>{t(msg('Guanxi 客服台', 'Guanxi staff console'))}</h1>
          <label class="lang">
            <span class="visually-hidden">{t(msg('语言', 'Language'))}</span>
            <select
              id="login-language"
              value={props.locale}
              onChange={(e) => void props.setLocale(e.currentTarget.value === 'en' ? 'en' : 'zh-CN')}
            >
              <option value="zh-CN">中文</option>
              <option value="en">English</option>
            </select>
          </label>
        </div>
        <label>
          {t(msg('用户名', 'Username'))}
          <input name="username" id="login-username" autocomplete="username" />
        </label>
        <label>
          {t(msg('密码', 'Password'))}
          <input name="password" id="login-password" type="password" autocomplete="current-password" />
        </label>
        <details>
          <summary>{t(msg('用令牌登录', 'Sign in with a token'))}</summary>
          <label>
            {t(msg('令牌', 'Token'))}
            <input name="token" id="login-token" autocomplete="off" />
          </label>
        </details>
        <button type="submit" id="login-submit" class="primary" disabled={busy}>
          {t(msg('登录', 'Log in'))}
        </button>
        <p id="login-error" class="error" role="alert">
          {error}
        </p>
        <aside class="first-run">
          <h2>{t(msg('第一次使用？', 'First time here?'))}</h2>
          <p>
            {t(
              msg(
                '启动 Guanxi 时，终端会打印一个 ADMIN_TOKEN（若未在 .env 中设置）。展开「用令牌登录」，粘贴它即可以管理员身份进入，然后在「员工」页为同事创建账号。',
                'When Guanxi starts without ADMIN_TOKEN in .env, it prints one in the terminal. Open “Sign in with a token”, paste it to enter as the admin, then create accounts for your team on the “Staff” page.',
              ),
            )}
          </p>
          <p class="muted">
            {t(
              msg(
                '演示数据自带账号：agent / agent123（客服），admin / admin123（管理员）。上线前请修改。',
                'The demo shop comes with agent / agent123 (agent) and admin / admin123 (admin). Change them before going live.',
              ),
            )}
          </p>
        </aside>
      </form>
    </main>
  );
}
