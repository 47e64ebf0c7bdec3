// Every console page, in nav order. A feature adds its page here and nowhere else:
// { id, title, module (path relative to this file), adminOnly? }. A module exports
// `mount(root, ctx)` and may return a cleanup function; ctx is { api, me, events, toast }.
// Standalone pages (their own HTML file, sharing the login) use { id, title, href } instead.
export const pages = [
  { id: 'queue', title: '会话 Queue', module: './pages/queue.js' },
  { id: 'metrics', title: '服务指标 Metrics', module: './pages/metrics.js' },
  { id: 'staff', title: '员工与快捷回复 Staff', module: './pages/staff.js', adminOnly: true },
  { id: 'loyalty', title: '积分 Loyalty', href: '/console-loyalty.html' },
  { id: 'surveys', title: '满意度 Surveys', href: '/console-surveys.html' },
  { id: 'analytics', title: '客户分析 Analytics', href: '/console-analytics.html' },
  { id: 'campaigns', title: '群发 Campaigns', href: '/console-campaigns.html' },
];
