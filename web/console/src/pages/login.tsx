// Login: username and password, or a token (a staff token, or the ADMIN_TOKEN printed at first start).
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { type Locale, msg, useLanguage } from '../i18n.ts';
import { session } from '../session.ts';
import { LanguageSelect } from '../ui.tsx';

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
          : e instanceof ApiError && e.status === 429
            ? t(
                msg(
                  '密码错误次数过多，账号已暂时锁定，请稍后再试',
                  'Too many wrong passwords: this account is locked for a while. Try again later.',
                ),
              )
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
          <LanguageSelect id="login-language" locale={props.locale} setLocale={props.setLocale} />
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
                '首次启动且 .env 中没有 ADMIN_TOKEN 时，Guanxi 会生成一个并在终端里只打印这一次。展开「用令牌登录」，粘贴它即可以管理员身份进入，然后在「员工」页为同事创建账号。也可以在服务器上运行 npm run guanxi -- staff add <用户名> --role admin 创建管理员账号（会提示输入密码）。',
                'On the first start without ADMIN_TOKEN in .env, Guanxi generates one and prints it in the terminal, that once. Open “Sign in with a token”, paste it to enter as the admin, then create accounts for your team on the “Staff” page. Or run npm run guanxi -- staff add <username> --role admin on the server (it asks for a password).',
              ),
            )}
          </p>
          <p class="muted">
            {t(
              msg(
                '开发环境的演示数据自带账号：agent / agent123（客服），admin / admin123（管理员）；NODE_ENV=production 时不会创建。',
                'In development the demo shop comes with agent / agent123 (agent) and admin / admin123 (admin); with NODE_ENV=production they are never created.',
              ),
            )}
          </p>
        </aside>
      </form>
    </main>
  );
}
