// The routes a server answers, as Fastify registered them: the fuzz test walks every one of them, so a
// route added later is attacked without anyone remembering to list it.
import type { HttpApp } from './context.ts';

export interface RouteEntry {
  method: string;
  url: string;
}

const tables = new WeakMap<HttpApp, RouteEntry[]>();

/** Starts recording; call before any route is registered. */
export function recordRoutes(app: HttpApp): void {
  const table: RouteEntry[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) table.push({ method, url: route.url });
  });
}

/** Every route registered on `app` since recording started (HEAD twins included). */
export function routeTable(app: HttpApp): readonly RouteEntry[] {
  return tables.get(app) ?? [];
}
