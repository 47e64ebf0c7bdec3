// A real app (real database, real HTTP via inject) for integration and scenario tests.
import { type App, type AppOptions, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Reply } from '../../src/domain/messages.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import { createTestDatabase, type Provider, type TestDatabase } from './databases.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: App;
  clock: ManualClock;
  database: TestDatabase;
  /** Sends a webchat message through HTTP; returns the parsed response. */
  say(visitorId: string, text: string, extra?: { messageId?: string; name?: string }): Promise<ChatResponse>;
  press(visitorId: string, action: string, label?: string): Promise<ChatResponse>;
  /** An authenticated admin request. */
  admin(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export interface ChatResponse {
  status: number;
  replies: Reply[];
  conversation: { id: number; status: string; flow: string | null } | null;
  /** All reply texts joined, for easy matching. */
  text: string;
  raw: unknown;
}

export async function createTestApp(
  options: {
    provider?: Provider;
    /** Reuse an existing database (a "restart"); it is then not dropped on close. */
    database?: TestDatabase;
    env?: Record<string, string>;
    clock?: ManualClock;
    app?: Omit<AppOptions, 'config' | 'clock'>;
    /** Runs after the app is built and before it starts: register extra channels and routes here. */
    beforeStart?: (app: App) => Promise<void>;
  } = {},
): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase(options.provider ?? 'sqlite'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.database.url,
    ADMIN_TOKEN,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    QUIET_HOURS: '00:00-00:00',
    // Tests send many messages from one address; the rate-limit tests turn the limits on.
    RATE_LIMIT_WEBCHAT_PER_MINUTE: '0',
    RATE_LIMIT_LOGIN_PER_MINUTE: '0',
    // The suites written before consent became opt-in assume first contact consents; the consent
    // tests (test/integration/consent.test.ts) run with the product default, false.
    MARKETING_CONSENT_DEFAULT: 'true',
    ...options.env,
  });
  const clock = options.clock ?? new ManualClock('2026-03-02T04:00:00Z');
  const app = await createApp({ ...options.app, config: { ...config, database: db.database }, clock });
  await options.beforeStart?.(app);
  await app.start();
  await app.http.ready();

  const post = async (body: Record<string, unknown>): Promise<ChatResponse> => {
    const response = await app.http.inject({ method: 'POST', url: '/api/webchat/messages', payload: body });
    const raw: unknown = response.json();
    const parsed = isChat(raw) ? raw : { replies: [], conversation: null };
    return {
      status: response.statusCode,
      replies: parsed.replies,
      conversation: parsed.conversation,
      text: parsed.replies.map((r) => r.text).join('\n'),
      raw,
    };
  };

  return {
    app,
    clock,
    database: db,
    say: (visitorId, text, extra = {}) => post({ visitorId, text, ...extra }),
    press: (visitorId, action, label) => post({ visitorId, action, text: label ?? action }),
    async admin(method, url, body) {
      const response = await app.http.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return { status: response.statusCode, body: response.body ? response.json() : null };
    },
    async close() {
      await app.stop();
      if (!options.database) await db.drop();
    },
  };
}

function isChat(value: unknown): value is { replies: Reply[]; conversation: ChatResponse['conversation'] } {
  return typeof value === 'object' && value !== null && 'replies' in value && Array.isArray(value.replies);
}
