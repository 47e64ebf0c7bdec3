// The console shell: one login, one navigation (role-aware), one session, one live event stream.
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import lazy, { ErrorBoundary } from 'preact-iso/lazy';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso/router';
import type { LiveEvent, ShopView, StaffView } from '../../../src/http/schemas/console.ts';
import { LiveEvent as LiveEventSchema } from '../../../src/http/schemas/console.ts';
import { api, openStream, whenUnauthorized } from './api.ts';
import { type Language, LanguageContext, type Locale, language, msg, storedLocale, storeLocale } from './i18n.ts';
import { notifyDesktop, useAlertSettings } from './notify.ts';
import { LoginPage } from './pages/login.tsx';
import { session } from './session.ts';
import { errorText, LanguageSelect, Switch, Toasts, useToast } from './ui.tsx';

const QueuePage = lazy(() => import('./pages/queue.tsx').then((m) => m.QueuePage));
const CustomersPage = lazy(() => import('./pages/customers.tsx').then((m) => m.CustomersPage));
const CustomerPage = lazy(() => import('./pages/customers.tsx').then((m) => m.CustomerPage));
const OrdersPage = lazy(() => import('./pages/orders.tsx').then((m) => m.OrdersPage));
const CasesPage = lazy(() => import('./pages/cases.tsx').then((m) => m.CasesPage));
const MetricsPage = lazy(() => import('./pages/metrics.tsx').then((m) => m.MetricsPage));
const LoyaltyPage = lazy(() => import('./pages/loyalty.tsx').then((m) => m.LoyaltyPage));
const SurveysPage = lazy(() => import('./pages/surveys.tsx').then((m) => m.SurveysPage));
const AnalyticsPage = lazy(() => import('./pages/analytics.tsx').then((m) => m.AnalyticsPage));
const CampaignsPage = lazy(() => import('./pages/campaigns.tsx').then((m) => m.CampaignsPage));
const SegmentsPage = lazy(() => import('./pages/segments.tsx').then((m) => m.SegmentsPage));
const StaffPage = lazy(() => import('./pages/staff.tsx').then((m) => m.StaffPage));
const CatalogPage = lazy(() => import('./pages/catalog.tsx').then((m) => m.CatalogPage));
const ImportsPage = lazy(() => import('./pages/imports.tsx').then((m) => m.ImportsPage));
const AuditPage = lazy(() => import('./pages/audit.tsx').then((m) => m.AuditPage));
const WecomPage = lazy(() => import('./pages/wecom.tsx').then((m) => m.WecomPage));

type LiveListener = (event: LiveEvent) => void;

export interface SessionState {
  me: StaffView;
  shop: ShopView;
  /** Subscribes to the live stream; returns the unsubscribe function. */
  onLive: (listener: LiveListener) => () => void;
  setLocale: (locale: Locale) => Promise<void>;
  logout: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside the signed-in shell');
  return value;
}

/** The pages in navigation order; admin pages are never shown to agents. */
export const pages = [
  { path: '/console/queue', title: msg('会话', 'Conversations'), adminOnly: false },
  { path: '/console/customers', title: msg('客户', 'Customers'), adminOnly: true },
  { path: '/console/orders', title: msg('订单', 'Orders'), adminOnly: true },
  { path: '/console/cases', title: msg('工单', 'Cases'), adminOnly: true },
  { path: '/console/metrics', title: msg('服务指标', 'Metrics'), adminOnly: false },
  { path: '/console/loyalty', title: msg('积分礼品', 'Loyalty'), adminOnly: true },
  { path: '/console/surveys', title: msg('满意度', 'Surveys'), adminOnly: true },
  { path: '/console/analytics', title: msg('客户分析', 'Analytics'), adminOnly: true },
  { path: '/console/segments', title: msg('客户分群', 'Segments'), adminOnly: true },
  { path: '/console/campaigns', title: msg('群发', 'Campaigns'), adminOnly: true },
  { path: '/console/wecom', title: msg('企业微信', 'WeCom'), adminOnly: true },
  { path: '/console/catalog', title: msg('商品与问答', 'Catalog'), adminOnly: true },
  { path: '/console/imports', title: msg('批量导入', 'Import'), adminOnly: true },
  { path: '/console/staff', title: msg('员工', 'Staff'), adminOnly: true },
  { path: '/console/audit', title: msg('审计日志', 'Audit log'), adminOnly: true },
] as const;

export function App() {
  const [signedIn, setSignedIn] = useState<{ staff: StaffView; shop: ShopView } | null>(null);
  const [checking, setChecking] = useState(Boolean(session.token));
  const [locale, setLocaleState] = useState<Locale>(storedLocale() ?? 'zh-CN');
  const lang = useMemo(
    () => language(locale, signedIn?.shop.timezone ?? 'Asia/Shanghai'),
    [locale, signedIn?.shop.timezone],
  );

  const logout = useCallback(() => {
    session.token = null;
    setSignedIn(null);
  }, []);
  whenUnauthorized(logout);

  const enter = useCallback(async () => {
    try {
      const me = await api.me();
      setSignedIn(me);
      setLocaleState(me.staff.locale ?? storedLocale() ?? me.shop.locale);
    } catch {
      session.token = null;
      setSignedIn(null);
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    if (session.token) void enter();
  }, [enter]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = lang.t(msg('Guanxi 客服台', 'Guanxi staff console'));
  }, [locale, lang]);

  const chooseLocale = useCallback(
    async (next: Locale) => {
      storeLocale(next);
      setLocaleState(next);
      if (signedIn && signedIn.staff.id !== null) setSignedIn(await api.setLocale(next));
    },
    [signedIn],
  );

  return (
    <LanguageContext.Provider value={lang}>
      <Toasts>
        <LocationProvider scope="/console">
          {checking ? null : signedIn ? (
            <Shell me={signedIn.staff} shop={signedIn.shop} setLocale={chooseLocale} logout={logout} />
          ) : (
            <LoginPage onSignedIn={enter} locale={locale} setLocale={chooseLocale} />
          )}
        </LocationProvider>
      </Toasts>
    </LanguageContext.Provider>
  );
}

function Shell(props: { me: StaffView; shop: ShopView; setLocale: (l: Locale) => Promise<void>; logout: () => void }) {
  const { me } = props;
  const lang = useContext(LanguageContext);
  const { t } = lang;
  const toast = useToast();
  const { url, route } = useLocation();
  const listeners = useRef(new Set<LiveListener>());
  const [menuOpen, setMenuOpen] = useState(false);
  const [online, setOnline] = useState(me.online);
  const alerts = useAlertSettings();
  const visible = pages.filter((p) => !p.adminOnly || me.role === 'admin');

  // One live stream for the whole console, read with fetch so the token stays in the header.
  useEffect(() => {
    const controller = new AbortController();
    void openStream(
      '/api/console/events',
      (_name, data) => {
        const parsed = LiveEventSchema.safeParse(data);
        if (!parsed.success) return;
        if (parsed.data.type === 'ready') document.body.dataset.live = 'true';
        for (const listener of listeners.current) listener(parsed.data);
      },
      { signal: controller.signal },
    );
    return () => {
      controller.abort();
      delete document.body.dataset.live;
    };
  }, []);

  // Desk notices: SLA alerts, hand-overs to me, chats back in the queue, new chats (opt-in alerts).
  useEffect(() => {
    const onEvent = (event: LiveEvent) => deskNotice(lang, me, event, toast, alerts.isEnabled());
    listeners.current.add(onEvent);
    return () => listeners.current.delete(onEvent);
  }, [lang, me, toast, alerts.isEnabled]);

  useEffect(() => setMenuOpen(false), [url]);
  useEffect(() => {
    if (url === '/console' || url === '/console/') route('/console/queue', true);
  }, [url, route]);

  const state = useMemo<SessionState>(
    () => ({
      me,
      shop: props.shop,
      onLive: (listener) => {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
      setLocale: props.setLocale,
      logout: props.logout,
    }),
    [me, props.shop, props.setLocale, props.logout],
  );

  return (
    <SessionContext.Provider value={state}>
      <div class={`shell ${menuOpen ? 'menu-open' : ''}`}>
        <header class="topbar">
          <a class="brand" href="/console/queue">
            Guanxi
          </a>
          <button
            type="button"
            class="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="nav"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {t(msg('菜单', 'Menu'))}
          </button>
          <nav id="nav" class={menuOpen ? 'open' : ''} aria-label={t(msg('主导航', 'Main'))}>
            <ul>
              {visible.map((p) => (
                <li key={p.path}>
                  <a href={p.path} aria-current={url.startsWith(p.path) ? 'page' : undefined}>
                    {t(p.title)}
                  </a>
                </li>
              ))}
            </ul>
            <div class="me">
              <span class="who">
                {me.name} · {me.role === 'admin' ? t(msg('管理员', 'Admin')) : t(msg('客服', 'Agent'))}
              </span>
              {me.id !== null ? (
                <label class="switch">
                  <input
                    type="checkbox"
                    id="online"
                    checked={online}
                    onChange={async (e) => {
                      const next = e.currentTarget.checked;
                      try {
                        await api.presence(next);
                        setOnline(next);
                      } catch (error) {
                        toast(errorText(error), { tone: 'error' });
                      }
                    }}
                  />
                  {t(msg('在线', 'Online'))}
                </label>
              ) : null}
              <Switch
                label={t(msg('通知和提示音', 'Alerts'))}
                id="alerts"
                checked={alerts.enabled}
                onValue={(on) => void alerts.setEnabled(on)}
              />
              <LanguageSelect id="language" locale={lang.locale} setLocale={props.setLocale} />
              <button
                type="button"
                id="logout"
                onClick={() => {
                  // The server ends the session first; the console forgets it whatever the answer.
                  void api.logout().then(props.logout, props.logout);
                }}
              >
                {t(msg('退出', 'Log out'))}
              </button>
            </div>
          </nav>
        </header>
        <main id="page" class="page">
          <ErrorBoundary>
            <Router>
              <Route path="/console/queue/:id?" component={QueuePage} />
              <Route path="/console/customers/:id" component={CustomerPage} />
              <Route path="/console/metrics" component={MetricsPage} />
              {me.role === 'admin'
                ? [
                    // Searching every customer is the admin's; agents open profiles from their conversations.
                    <Route key="customers" path="/console/customers" component={CustomersPage} />,
                    <Route key="orders" path="/console/orders" component={OrdersPage} />,
                    <Route key="loyalty" path="/console/loyalty" component={LoyaltyPage} />,
                    <Route key="surveys" path="/console/surveys" component={SurveysPage} />,
                    <Route key="analytics" path="/console/analytics" component={AnalyticsPage} />,
                    <Route key="segments" path="/console/segments" component={SegmentsPage} />,
                    <Route key="campaigns" path="/console/campaigns/:id?" component={CampaignsPage} />,
                    <Route key="wecom" path="/console/wecom" component={WecomPage} />,
                    <Route key="cases" path="/console/cases/:caseNo?" component={CasesPage} />,
                    <Route key="catalog" path="/console/catalog" component={CatalogPage} />,
                    <Route key="imports" path="/console/imports" component={ImportsPage} />,
                    <Route key="staff" path="/console/staff" component={StaffPage} />,
                    <Route key="audit" path="/console/audit" component={AuditPage} />,
                  ]
                : []}
              <Route default component={NotFound} />
            </Router>
          </ErrorBoundary>
        </main>
      </div>
    </SessionContext.Provider>
  );
}

function NotFound() {
  const { t } = useContext(LanguageContext);
  return (
    <section class="card">
      <h1>{t(msg('没有这个页面', 'No such page'))}</h1>
      <p>
        <a href="/console/queue">{t(msg('回到会话', 'Back to conversations'))}</a>
      </p>
    </section>
  );
}

/** Conversations are numbered by their own number everywhere: "会话 #16". */
export const conversationLabel = msg('会话 #{id}', 'Conversation #{id}');

function deskNotice(
  lang: Language,
  me: StaffView,
  event: LiveEvent,
  toast: ReturnType<typeof useToast>,
  alerts: boolean,
) {
  const { t } = lang;
  const href = (id: number) => `/console/queue/${id}`;
  if (event.type === 'conversation' && event.status === 'pending' && alerts) {
    notifyDesktop(t(msg('新的待处理会话', 'A chat is waiting')), t(conversationLabel, { id: event.id }));
  }
  if (event.type === 'interaction' && event.direction === 'in' && alerts) {
    notifyDesktop(t(msg('客户发来新消息', 'New customer message')), t(conversationLabel, { id: event.conversationId }));
  }
  if (event.type !== 'desk') return;
  const label = t(conversationLabel, { id: event.conversationId });
  const mine = event.staffId !== null && event.staffId === me.id;
  if (event.kind === 'sla_warning' && (mine || me.role === 'admin')) {
    toast(t(msg('⚠ {c}：响应时限快到了', '⚠ {c}: the response is due soon'), { c: label }), {
      tone: 'warn',
      href: href(event.conversationId),
    });
  } else if (event.kind === 'sla_breach' && (mine || me.role === 'admin')) {
    toast(t(msg('⚠ {c}：已超过响应时限', '⚠ {c}: the response is overdue'), { c: label }), {
      tone: 'error',
      href: href(event.conversationId),
    });
  } else if (event.kind === 'transfer' && mine) {
    const note = event.text ? ` — ${event.text}` : '';
    toast(
      t(msg('{by} 把{c}转交给你{note}', '{by} handed {c} to you{note}'), { by: event.byName ?? '', c: label, note }),
      {
        href: href(event.conversationId),
      },
    );
    if (alerts) notifyDesktop(t(msg('有会话转交给你', 'A chat was handed to you')), label);
  } else if (event.kind === 'requeue' && event.byName !== me.name) {
    toast(t(msg('{c}回到了队列', '{c} is back in the queue'), { c: label }), { href: href(event.conversationId) });
  }
}
