// The one place that reads process.env. Everything else receives a typed Config.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ChannelName } from './domain/channels.ts';
import type { ConsentDefault } from './domain/consent.ts';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

const int = (fallback: number, min = 0) =>
  z.coerce
    .number({ message: 'expected a whole number' })
    .int('expected a whole number')
    .min(min, `expected a number >= ${min}`)
    .default(fallback);

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

// "HH:MM-HH:MM", may wrap past midnight (22:00-08:00).
const hoursRange = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM-HH:MM, e.g. 09:00-21:00');

const commaList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

// WeCom admin console rules: the callback Token is letters and digits (at most 32), the
// EncodingAESKey exactly 43 of them (base64 of a 32-byte AES key without its '=').
const wecomToken = optionalText.pipe(
  z
    .string()
    .regex(/^[A-Za-z0-9]{1,32}$/, 'expected 1-32 letters or digits (the Token from the WeCom admin console)')
    .optional(),
);
const wecomAesKey = optionalText.pipe(
  z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, 'expected the 43-character EncodingAESKey from the WeCom admin console')
    .optional(),
);

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as Asia/Shanghai');

const port = (message: string) => z.coerce.number({ message }).int().min(1).max(65535, 'expected a port 1-65535');

// Each feature's settings: the environment variables it reads (name, default, validation) and the
// shape the code sees. `Config` is what the whole schema produces.

const http = z
  .object({
    PORT: int(3000).refine((p) => p <= 65535, 'expected a port 0-65535'),
    HOST: z.string().default('0.0.0.0'),
    PUBLIC_URL: optionalText.pipe(z.url({ message: 'expected a URL' }).optional()),
    /** Generated (and printed) at start-up when unset. */
    ADMIN_TOKEN: optionalText.pipe(z.string().min(16, 'expected at least 16 characters').optional()),
  })
  .transform((e) => ({ port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL, adminToken: e.ADMIN_TOKEN }));

// Per-address limits on the public surface and how the client address is found behind a proxy.
const limits = z
  .object({
    /** Webchat messages per client address and minute (0 = no limit). */
    RATE_LIMIT_WEBCHAT_PER_MINUTE: int(60),
    /** Login attempts per client address and minute (0 = no limit). */
    RATE_LIMIT_LOGIN_PER_MINUTE: int(10),
    /** Unset/false: the socket's address. true: the left-most X-Forwarded-For. A number: that many proxy hops. Else a comma list of trusted proxy addresses/CIDRs. */
    TRUST_PROXY: optionalText,
  })
  .transform((e) => ({
    webchatPerMinute: e.RATE_LIMIT_WEBCHAT_PER_MINUTE,
    loginPerMinute: e.RATE_LIMIT_LOGIN_PER_MINUTE,
    trustProxy: trustProxy(e.TRUST_PROXY),
  }));

/** Fastify's trustProxy option from TRUST_PROXY. */
function trustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || ['false', '0', 'no'].includes(value)) return false;
  if (['true', 'yes'].includes(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

// Personal data (PIPL): whether first contact counts as marketing consent.
const privacy = z
  .object({
    /** false (default) | true | a comma list of channels (e.g. wechat,telegram) where first contact is consent. */
    MARKETING_CONSENT_DEFAULT: z
      .string()
      .default('false')
      .transform((v) => v.trim().toLowerCase())
      .pipe(
        z.union(
          [
            z.enum(['false', 'true', '']).transform((v) => v === 'true'),
            z
              .string()
              .transform((v) =>
                v
                  .split(',')
                  .map((part) => part.trim())
                  .filter(Boolean),
              )
              .pipe(z.array(ChannelName).min(1)),
          ],
          { message: 'expected false, true or a comma list of channels (telegram, wechat, wecom, webchat)' },
        ),
      ),
  })
  .transform((e): { marketingConsentDefault: ConsentDefault } => ({
    marketingConsentDefault: e.MARKETING_CONSENT_DEFAULT,
  }));

const log = z
  .object({ LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
  .transform((e) => ({ level: e.LOG_LEVEL }));

const database = z
  .object({
    DATABASE_URL: z
      .string()
      .default('file:./data/guanxi.db')
      .refine(
        (u) => u.startsWith('file:') || /^postgres(ql)?:\/\//.test(u),
        'expected file:<path> (SQLite) or postgresql://user@host/db',
      ),
    /** PostgreSQL: connections per pool (the ORM's and the hot path's each) per instance. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  })
  .transform(({ DATABASE_URL: url, DATABASE_POOL_SIZE: poolSize }) =>
    url.startsWith('file:')
      ? { provider: 'sqlite' as const, file: url.slice('file:'.length), url }
      : { provider: 'postgresql' as const, url, poolSize },
  );

const nodeEnv = z.enum(['development', 'production', 'test']).default('development');

const shop = z
  .object({
    NODE_ENV: nodeEnv,
    SHOP_NAME: z.string().default('Guanxi Demo Shop'),
    SHOP_LOCALE: z.enum(['zh-CN', 'en'], { message: 'expected zh-CN or en' }).default('zh-CN'),
    SHOP_TIMEZONE: timezone.default('Asia/Shanghai'),
    SHOP_HOURS: hoursRange.default('09:00-21:00'),
    QUIET_HOURS: hoursRange.default('22:00-08:00'),
    SEED_DEMO: z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .optional()
      .transform((v) => (v === undefined ? undefined : ['true', '1', 'yes'].includes(v))),
  })
  .transform((e) => ({
    name: e.SHOP_NAME,
    locale: e.SHOP_LOCALE,
    timezone: e.SHOP_TIMEZONE,
    /** Staff hours, "HH:MM-HH:MM" in the shop's time zone. */
    hours: e.SHOP_HOURS,
    /** No marketing or proactive messages in these hours. */
    quietHours: e.QUIET_HOURS,
    /** Demo data on first start: by default everywhere but production. */
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
  }));

const telegram = z
  .object({
    TELEGRAM_BOT_TOKEN: optionalText,
    TELEGRAM_API_ROOT: optionalText.pipe(z.url({ message: 'expected a URL' }).optional()),
    TELEGRAM_WEBHOOK_URL: optionalText.pipe(z.url({ message: 'expected an https URL' }).optional()),
    TELEGRAM_WEBHOOK_SECRET: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1-256 characters of A-Z a-z 0-9 _ -')
        .optional(),
    ),
    TELEGRAM_WEBHOOK_PORT: port('expected a port number').optional(),
    TELEGRAM_STAFF_CHAT_ID: optionalText,
    TELEGRAM_ADMIN_IDS: commaList,
    /** Telegram's limit is 30 messages/s; above it (up to 1,000) sends are paid broadcasts (`allow_paid_broadcast`). */
    TELEGRAM_MAX_PER_SECOND: int(30, 1).refine((n) => n <= 1000, 'expected 1-1000 messages per second'),
  })
  .superRefine((e, ctx) => {
    if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'required when TELEGRAM_WEBHOOK_URL is set',
      });
    }
  })
  .transform((e) =>
    e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT,
          /** Served on the main HTTP server at the URL's path; also on `port` when set (a separate listener). */
          webhook:
            e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET
              ? { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET, port: e.TELEGRAM_WEBHOOK_PORT }
              : undefined,
          staffChatId: e.TELEGRAM_STAFF_CHAT_ID,
          adminIds: e.TELEGRAM_ADMIN_IDS,
          maxPerSecond: e.TELEGRAM_MAX_PER_SECOND,
        }
      : undefined,
  );

const wechat = z
  .object({
    WECHATY_PUPPET: optionalText,
    WECHATY_PUPPET_SERVICE_TOKEN: optionalText,
    WECHATY_PUPPET_SERVICE_ENDPOINT: optionalText,
    WECHAT_AUTO_ACCEPT_FRIENDS: bool(true),
    WECHAT_PER_CHAT_INTERVAL_MS: int(3000),
    WECHAT_PER_MINUTE: int(40, 1),
    WECHAT_JITTER_MIN_MS: int(1000),
    WECHAT_JITTER_MAX_MS: int(3000),
    WECHAT_DAILY_CAP: int(2000, 1),
  })
  .superRefine((e, ctx) => {
    if (e.WECHAT_JITTER_MAX_MS < e.WECHAT_JITTER_MIN_MS) {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_JITTER_MAX_MS'], message: 'must be >= WECHAT_JITTER_MIN_MS' });
    }
  })
  .transform((e) =>
    e.WECHATY_PUPPET
      ? {
          puppet: e.WECHATY_PUPPET,
          puppetToken: e.WECHATY_PUPPET_SERVICE_TOKEN,
          puppetEndpoint: e.WECHATY_PUPPET_SERVICE_ENDPOINT,
          autoAcceptFriends: e.WECHAT_AUTO_ACCEPT_FRIENDS,
          pacing: {
            perChatIntervalMs: e.WECHAT_PER_CHAT_INTERVAL_MS,
            perMinute: e.WECHAT_PER_MINUTE,
            jitterMinMs: e.WECHAT_JITTER_MIN_MS,
            jitterMaxMs: e.WECHAT_JITTER_MAX_MS,
            dailyCap: e.WECHAT_DAILY_CAP,
          },
        }
      : undefined,
  );

const WECOM_DEFAULT_API_ROOT = 'https://qyapi.weixin.qq.com';

const wecomEnv = z.object({
  WECOM_CORP_ID: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9]{1,64}$/, 'expected the CorpID (letters and digits, e.g. ww0123456789abcdef)')
      .optional(),
  ),
  WECOM_KF_SECRET: optionalText,
  WECOM_CALLBACK_TOKEN: wecomToken,
  WECOM_ENCODING_AES_KEY: wecomAesKey,
  WECOM_OPEN_KFID: commaList,
  WECOM_API_ROOT: optionalText.pipe(z.url({ message: 'expected a URL' }).optional()),
  WECOM_CALLBACK_PATH: z
    .string()
    .default('/wecom/callback')
    .refine((p) => /^\/[A-Za-z0-9/_.-]*$/.test(p), 'expected a path such as /wecom/callback'),
  WECOM_CONTACT_SECRET: optionalText,
  WECOM_CONTACT_TOKEN: wecomToken,
  WECOM_CONTACT_ENCODING_AES_KEY: wecomAesKey,
});
type WecomEnv = z.infer<typeof wecomEnv>;

/** The WeCom settings that only make sense together (the channel starts with a CorpID and a secret). */
function wecomIssues(env: WecomEnv): Array<{ path: string[]; message: string }> {
  const issues: Array<{ path: string[]; message: string }> = [];
  const secret = env.WECOM_KF_SECRET ?? env.WECOM_CONTACT_SECRET;
  if (secret && !env.WECOM_CORP_ID) {
    issues.push({ path: ['WECOM_CORP_ID'], message: 'required when WECOM_KF_SECRET or WECOM_CONTACT_SECRET is set' });
  }
  if (env.WECOM_CORP_ID && !secret) {
    issues.push({ path: ['WECOM_KF_SECRET'], message: 'required when WECOM_CORP_ID is set (or WECOM_CONTACT_SECRET)' });
  }
  // 微信客服 messages arrive only through the encrypted callback.
  if (env.WECOM_KF_SECRET) {
    if (!env.WECOM_CALLBACK_TOKEN)
      issues.push({ path: ['WECOM_CALLBACK_TOKEN'], message: 'required when WECOM_KF_SECRET is set' });
    if (!env.WECOM_ENCODING_AES_KEY)
      issues.push({ path: ['WECOM_ENCODING_AES_KEY'], message: 'required when WECOM_KF_SECRET is set' });
  }
  // 客户联系 events are verified with their own pair, or the 微信客服 pair by default.
  if (env.WECOM_CONTACT_SECRET) {
    if (!(env.WECOM_CONTACT_TOKEN ?? env.WECOM_CALLBACK_TOKEN))
      issues.push({ path: ['WECOM_CONTACT_TOKEN'], message: 'required when WECOM_CONTACT_SECRET is set' });
    if (!(env.WECOM_CONTACT_ENCODING_AES_KEY ?? env.WECOM_ENCODING_AES_KEY))
      issues.push({ path: ['WECOM_CONTACT_ENCODING_AES_KEY'], message: 'required when WECOM_CONTACT_SECRET is set' });
  }
  return issues;
}

const wecom = wecomEnv
  .superRefine((e, ctx) => {
    for (const issue of wecomIssues(e)) ctx.addIssue({ code: 'custom', ...issue });
  })
  .transform((e) => {
    const corpId = e.WECOM_CORP_ID;
    if (!corpId) return undefined;
    const kfToken = e.WECOM_CALLBACK_TOKEN;
    const kfKey = e.WECOM_ENCODING_AES_KEY;
    const contactToken = e.WECOM_CONTACT_TOKEN ?? kfToken;
    const contactKey = e.WECOM_CONTACT_ENCODING_AES_KEY ?? kfKey;
    return {
      corpId,
      /** API paths (`/cgi-bin/...`) are appended to this; tests point it at a local fake. */
      apiRoot: (e.WECOM_API_ROOT ?? WECOM_DEFAULT_API_ROOT).replace(/\/+$/, ''),
      /** Where the main HTTP server receives WeCom callbacks (微信客服 and 客户联系 alike). */
      callbackPath: e.WECOM_CALLBACK_PATH,
      /** 微信客服 (WeChat Customer Service); `openKfIds` empty = every account the secret may manage. */
      kf:
        e.WECOM_KF_SECRET && kfToken && kfKey
          ? {
              secret: e.WECOM_KF_SECRET,
              callback: { token: kfToken, encodingAesKey: kfKey },
              openKfIds: e.WECOM_OPEN_KFID,
            }
          : undefined,
      /** 客户联系 (external contacts). */
      contact:
        e.WECOM_CONTACT_SECRET && contactToken && contactKey
          ? { secret: e.WECOM_CONTACT_SECRET, callback: { token: contactToken, encodingAesKey: contactKey } }
          : undefined,
    };
  });

const openai = z
  .object({
    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: optionalText.pipe(z.url({ message: 'expected a URL' }).optional()),
    OPENAI_MODEL: z.string().default('gpt-4o-mini'),
    OPENAI_TIMEOUT_MS: int(8000, 100),
  })
  .transform((e) =>
    e.OPENAI_API_KEY
      ? { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL, model: e.OPENAI_MODEL, timeoutMs: e.OPENAI_TIMEOUT_MS }
      : undefined,
  );

const understanding = z
  .object({
    ANSWER_MIN_CONFIDENCE: z.coerce
      .number({ message: 'expected a number between 0 and 1' })
      .min(0, 'expected a number between 0 and 1')
      .max(1, 'expected a number between 0 and 1')
      .default(0.5),
  })
  .transform((e) => ({
    /** Pre-sale answers scored below this (0..1, calibrated) are not given: the bot says it is not sure and offers a person. */
    answerMinConfidence: e.ANSWER_MIN_CONFIDENCE,
  }));

const desk = z
  .object({
    SLA_FIRST_RESPONSE_MINUTES: int(3, 1),
    SLA_RESOLUTION_MINUTES: int(240, 1),
    // "urgent=1/30,high=2/120": first-response/resolution minutes per queue priority.
    SLA_PRIORITY_MINUTES: z
      .string()
      .default('')
      .refine(
        (v) =>
          v.trim() === '' ||
          /^\s*(urgent|high|normal|low)=\d+\/\d+\s*(,\s*(urgent|high|normal|low)=\d+\/\d+\s*)*$/.test(v),
        'expected e.g. urgent=1/30,high=2/120',
      ),
    AGENT_CAPACITY: int(5, 1),
    AUTO_ASSIGN: bool(true),
    ESCALATE_AFTER_FAILURES: int(2),
  })
  .transform((e) => ({
    slaFirstResponseMinutes: e.SLA_FIRST_RESPONSE_MINUTES,
    slaResolutionMinutes: e.SLA_RESOLUTION_MINUTES,
    /** Per-priority SLA targets overriding the two defaults above. */
    slaByPriority: parseSlaOverrides(e.SLA_PRIORITY_MINUTES),
    /** Capacity of a new staff account. */
    agentCapacity: e.AGENT_CAPACITY,
    autoAssign: e.AUTO_ASSIGN,
    /** Consecutive "not understood" turns after which the bot hands the chat to staff (0 = never). */
    escalateAfterFailures: e.ESCALATE_AFTER_FAILURES,
  }));

const aftersale = z
  .object({ RETURN_WINDOW_DAYS: int(7) })
  .transform((e) => ({ returnWindowDays: e.RETURN_WINDOW_DAYS }));

const loyalty = z
  .object({
    POINTS_PER_YUAN: int(1),
    POINTS_CHECKIN: int(5),
    POINTS_CHECKIN_STREAK_DAYS: int(7, 1),
    POINTS_CHECKIN_STREAK_BONUS: int(20),
    POINTS_BIRTHDAY: int(100),
    POINTS_FIRST_ORDER: int(50),
    POINTS_SURVEY: int(10),
    POINTS_REFERRAL: int(100),
    POINTS_EXPIRY_MONTHS: int(0),
    POINTS_EXPIRY_REMINDER_DAYS: int(30, 1),
    TIER_BASIS: z.enum(['points', 'spend'], { message: 'expected points or spend' }).default('points'),
    TIER_THRESHOLDS: z
      .string()
      .default('1000,5000,20000')
      .transform((v) => v.split(',').map((s) => Number(s.trim())))
      .refine(
        (list) =>
          list.length === 3 &&
          list.every((n, i) => Number.isInteger(n) && n > 0 && (i === 0 || n > (list[i - 1] ?? 0))),
        'expected three increasing whole numbers: silver,gold,diamond',
      ),
  })
  .transform((e) => ({
    /** Points per ¥1 paid (before the tier multiplier). */
    pointsPerYuan: e.POINTS_PER_YUAN,
    checkIn: e.POINTS_CHECKIN,
    streakDays: e.POINTS_CHECKIN_STREAK_DAYS,
    streakBonus: e.POINTS_CHECKIN_STREAK_BONUS,
    birthday: e.POINTS_BIRTHDAY,
    firstOrder: e.POINTS_FIRST_ORDER,
    survey: e.POINTS_SURVEY,
    referral: e.POINTS_REFERRAL,
    /** 0 = points expire at the end of the year after they were earned. */
    expiryMonths: e.POINTS_EXPIRY_MONTHS,
    reminderDays: e.POINTS_EXPIRY_REMINDER_DAYS,
    tierBasis: e.TIER_BASIS,
    /** Silver, gold, diamond thresholds (points earned, or fen spent, over the last 12 months). */
    tierThresholds: e.TIER_THRESHOLDS,
  }));

const surveys = z
  .object({
    SURVEY_DELAY_DAYS: int(3),
    SURVEY_EXPIRY_HOURS: int(72, 1),
    SURVEY_LOW_CSAT: int(2),
    SURVEY_LOW_NPS: int(6),
  })
  .transform((e) => ({
    /** Post-purchase survey this many days after delivery. */
    delayDays: e.SURVEY_DELAY_DAYS,
    expiryHours: e.SURVEY_EXPIRY_HOURS,
    /** Scores at or below these open a recovery case. */
    lowCsat: e.SURVEY_LOW_CSAT,
    lowNps: e.SURVEY_LOW_NPS,
  }));

const campaigns = z
  .object({ MARKETING_WEEKLY_CAP: int(2), CAMPAIGN_TICK_MS: int(250), CAMPAIGN_WINDOW: int(200, 1) })
  .transform((e) => ({
    /** Marketing messages per customer per week. */
    weeklyCap: e.MARKETING_WEEKLY_CAP,
    /** Runner tick interval (0 = no background loop; tests drive it). */
    tickMs: e.CAMPAIGN_TICK_MS,
    /** Outbox rows a running campaign keeps queued at once. */
    window: e.CAMPAIGN_WINDOW,
  }));

const outbox = z.object({ OUTBOX_WORKER_ID: optionalText, OUTBOX_LEASE_MS: int(300_000, 1000) }).transform((e) => ({
  workerId: e.OUTBOX_WORKER_ID ?? `w${process.pid}`,
  /** A claimed outbox row older than this is considered abandoned (its worker died): marked unknown. */
  leaseMs: e.OUTBOX_LEASE_MS,
}));

// An origin as browsers send it: scheme, host and optional port, nothing else.
const origin = z
  .string()
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'expected origins such as https://shop.example (no path)');

const webchat = z.object({ WEBCHAT_ALLOWED_ORIGINS: commaList.pipe(z.array(origin)) }).transform((e) => ({
  /** Other sites whose pages may embed the widget (CORS); the server's own origin always may. */
  allowedOrigins: e.WEBCHAT_ALLOWED_ORIGINS,
}));

// Staff access: what agents may do on their own, how long console sessions live, when a login locks.
const access = z
  .object({
    AGENT_POINTS_LIMIT: int(500),
    SESSION_MAX_HOURS: int(12, 1),
    SESSION_IDLE_MINUTES: int(60, 1),
    LOGIN_MAX_FAILURES: int(5, 1),
    LOGIN_LOCKOUT_MINUTES: int(15, 1),
  })
  .transform((e) => ({
    /** The most points (either way) an agent may adjust in one go for a customer in their scope; admins have no limit. */
    agentPointsLimit: e.AGENT_POINTS_LIMIT,
    /** A console session ends this long after login, however busy. */
    sessionMaxHours: e.SESSION_MAX_HOURS,
    /** A console session ends after this long without a request. */
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    /** Wrong passwords in a row that lock an account... */
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    /** ...for this long (even the right password is refused meanwhile). */
    loginLockoutMinutes: e.LOGIN_LOCKOUT_MINUTES,
  }));
const webchatIdentity = z
  .object({
    WEBCHAT_IDENTITY_SECRET: optionalText.pipe(
      z.string().min(16, 'WEBCHAT_IDENTITY_SECRET must be at least 16 characters').optional(),
    ),
  })
  .transform((e) => ({
    /** The shop's secret for signed webchat identities (hex HMAC-SHA256 of externalId); unset = refused. */
    secret: e.WEBCHAT_IDENTITY_SECRET,
  }));

const uploads = z
  .object({
    UPLOAD_MAX_MB: z.coerce.number({ message: 'expected a number of megabytes' }).positive().max(100).default(5),
    DATA_DIR: z.string().trim().min(1).default('./data'),
  })
  .transform((e) => ({
    /** Largest accepted upload (webchat photos), in bytes. */
    maxBytes: Math.floor(e.UPLOAD_MAX_MB * 1024 * 1024),
    /** The data folder: attachments are stored under `<dir>/attachments` (shared by every instance). */
    dir: e.DATA_DIR,
  }));

const jobs = z
  .object({
    NODE_ENV: nodeEnv,
    JOBS_ENABLED: z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .optional()
      .transform((v) => (v === undefined ? undefined : ['true', '1', 'yes'].includes(v))),
  })
  // Tests drive jobs with runOnce(now) and a ManualClock; a wall-clock schedule would race them.
  .transform((e) => ({ enabled: e.JOBS_ENABLED ?? e.NODE_ENV !== 'test' }));

const features = {
  env: z.object({ NODE_ENV: nodeEnv }).transform((e) => e.NODE_ENV),
  http,
  limits,
  privacy,
  log,
  database,
  shop,
  telegram,
  wechat,
  wecom,
  openai,
  understanding,
  desk,
  aftersale,
  loyalty,
  surveys,
  campaigns,
  outbox,
  jobs,
  webchat,
  access,
  webchatIdentity,
  uploads,
};

/** The whole environment goes to every feature's schema; each reads its own variables. */
export const configSchema = z.preprocess(
  (env) => Object.fromEntries(Object.keys(features).map((feature) => [feature, env])),
  z.object(features),
);

export type Config = z.infer<typeof configSchema>;

/** Every environment variable the configuration reads. */
export const settingNames: readonly string[] = [
  ...new Set(Object.values(features).flatMap((feature) => Object.keys(feature.in.shape))),
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Loads `.env` (if present) into the environment; real environment variables win. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/**
 * Start-up for the entry points (server, CLI): `.env` plus the environment, or the message that
 * names every bad variable.
 */
export function loadStartupConfig(): { ok: true; config: Config } | { ok: false; message: string } {
  try {
    loadEnvFile();
    return { ok: true, config: loadConfig() };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, message: error.message };
    throw error;
  }
}

/** Parses an environment (process.env by default). Throws ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      // Issue paths are [feature, VARIABLE]; the variable is what the user has to fix.
      parsed.error.issues.map((issue) => `${String(issue.path.at(-1) ?? '(environment)')}: ${issue.message}`),
    );
  }
  return parsed.data;
}

type SlaOverrides = Partial<
  Record<'urgent' | 'high' | 'normal' | 'low', { firstResponse: number; resolution: number }>
>;

function parseSlaOverrides(value: string): SlaOverrides {
  const out: SlaOverrides = {};
  for (const part of value.split(',')) {
    const match = /^\s*(urgent|high|normal|low)=(\d+)\/(\d+)\s*$/.exec(part);
    if (!match) continue;
    const [, level, first, resolution] = match;
    if (level === 'urgent' || level === 'high' || level === 'normal' || level === 'low') {
      out[level] = { firstResponse: Math.max(1, Number(first)), resolution: Math.max(1, Number(resolution)) };
    }
  }
  return out;
}
