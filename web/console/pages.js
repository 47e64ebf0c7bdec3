// Every console page, in nav order. A feature adds its page here and nowhere else:
// { id, title, module (path relative to this file), adminOnly? }. A module exports
// `mount(root, ctx)` and may return a cleanup function; ctx is { api, me, events, toast }.
export const pages = [
  { id: 'queue', title: '会话 Queue', module: './pages/queue.js' },
  { id: 'metrics', title: '服务指标 Metrics', module: './pages/metrics.js' },
  { id: 'staff', title: '员工与快捷回复 Staff', module: './pages/staff.js', adminOnly: true },
];
