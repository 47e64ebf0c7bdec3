import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingNames } from '../../src/config.ts';

const AES_KEY = 'a'.repeat(43);

function wecomKf(): Record<string, string> {
  return {
    WECOM_CORP_ID: 'ww0123456789abcdef',
    WECOM_KF_SECRET: 'kf-secret',
    WECOM_CALLBACK_TOKEN: 'Tok3n',
    WECOM_ENCODING_AES_KEY: AES_KEY,
  };
}

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config', () => {
  it('runs with no variables at all: SQLite, port 3000, zh-CN, Asia/Shanghai, demo data', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.database).toEqual({ provider: 'sqlite', file: './data/guanxi.db', url: 'file:./data/guanxi.db' });
    expect(config.shop).toMatchObject({ locale: 'zh-CN', timezone: 'Asia/Shanghai', seedDemo: true });
    expect(config.telegram).toBeUndefined();
    expect(config.wechat).toBeUndefined();
    expect(config.wecom).toBeUndefined();
    expect(config.openai).toBeUndefined();
  });

  it('seeds no demo shop in production unless asked, and reads the staff-access settings', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).shop.seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }).shop.seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).shop.seedDemo).toBe(true);
    expect(loadConfig({}).access).toEqual({
      agentPointsLimit: 500,
      sessionMaxHours: 12,
      sessionIdleMinutes: 60,
      loginMaxFailures: 5,
      loginLockoutMinutes: 15,
    });
    expect(problems({ SESSION_IDLE_MINUTES: '0' }).join()).toContain('SESSION_IDLE_MINUTES');
  });

  it('recognises PostgreSQL and the optional channels', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://guanxi@127.0.0.1:5432/shop',
      TELEGRAM_BOT_TOKEN: '123:abc',
      TELEGRAM_WEBHOOK_URL: 'https://shop.example.com/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: 's3cret_token',
      WECHATY_PUPPET: 'wechaty-puppet-mock',
      OPENAI_API_KEY: 'sk-test',
      SEED_DEMO: 'false',
    });
    expect(config.database.provider).toBe('postgresql');
    expect(config.telegram?.webhook).toMatchObject({ secret: 's3cret_token' });
    expect(config.wechat?.pacing).toMatchObject({ perChatIntervalMs: 3000, perMinute: 40, dailyCap: 2000 });
    expect(config.openai?.model).toBe('gpt-4o-mini');
    expect(config.shop.seedDemo).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ SHOP_LOCALE: 'fr' }, 'SHOP_LOCALE'],
    [{ SHOP_TIMEZONE: 'Mars/Olympus' }, 'SHOP_TIMEZONE'],
    [{ SEED_DEMO: 'maybe' }, 'SEED_DEMO'],
    [{ QUIET_HOURS: '10pm-8am' }, 'QUIET_HOURS'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://x.example/hook' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ WECHAT_JITTER_MIN_MS: '5000', WECHAT_JITTER_MAX_MS: '1000' }, 'WECHAT_JITTER_MAX_MS'],
    [{ WECOM_KF_SECRET: 'kf-secret' }, 'WECOM_CORP_ID'],
    [{ WECOM_CORP_ID: 'ww0123456789abcdef' }, 'WECOM_KF_SECRET'],
    [{ ...wecomKf(), WECOM_CALLBACK_TOKEN: '' }, 'WECOM_CALLBACK_TOKEN'],
    [{ ...wecomKf(), WECOM_CALLBACK_TOKEN: 'has spaces in it' }, 'WECOM_CALLBACK_TOKEN'],
    [{ ...wecomKf(), WECOM_ENCODING_AES_KEY: 'too-short' }, 'WECOM_ENCODING_AES_KEY'],
    [{ ...wecomKf(), WECOM_API_ROOT: 'not a url' }, 'WECOM_API_ROOT'],
    [{ ...wecomKf(), WECOM_CALLBACK_PATH: 'wecom/callback' }, 'WECOM_CALLBACK_PATH'],
    [{ WECOM_CORP_ID: 'ww0123456789abcdef', WECOM_CONTACT_SECRET: 'contact-secret' }, 'WECOM_CONTACT_TOKEN'],
    [{ ESCALATE_AFTER_FAILURES: 'twice' }, 'ESCALATE_AFTER_FAILURES'],
    [{ TELEGRAM_WEBHOOK_PORT: '0' }, 'TELEGRAM_WEBHOOK_PORT'],
    [{ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_MAX_PER_SECOND: '1001' }, 'TELEGRAM_MAX_PER_SECOND'],
    [{ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_MAX_PER_SECOND: '0' }, 'TELEGRAM_MAX_PER_SECOND'],
  ])('stops on %o naming %s and what is expected', (env, variable) => {
    const found = problems(env);
    expect(found.some((p) => p.startsWith(`${variable}:`) && p.length > variable.length + 3)).toBe(true);
  });

  it('starts WeCom 微信客服 with a CorpID, secret, callback Token and EncodingAESKey; OPEN_KFID is a comma list', () => {
    const config = loadConfig({ ...wecomKf(), WECOM_OPEN_KFID: 'wkA, wkB,' });
    expect(config.wecom).toEqual({
      corpId: 'ww0123456789abcdef',
      apiRoot: 'https://qyapi.weixin.qq.com',
      callbackPath: '/wecom/callback',
      kf: {
        secret: 'kf-secret',
        callback: { token: 'Tok3n', encodingAesKey: AES_KEY },
        openKfIds: ['wkA', 'wkB'],
      },
      contact: undefined,
    });
  });

  it('verifies 客户联系 callbacks with the 微信客服 pair unless it has its own', () => {
    const shared = loadConfig({
      ...wecomKf(),
      WECOM_CONTACT_SECRET: 'contact-secret',
      WECOM_API_ROOT: 'http://127.0.0.1:9/',
    });
    expect(shared.wecom?.contact).toEqual({
      secret: 'contact-secret',
      callback: { token: 'Tok3n', encodingAesKey: AES_KEY },
    });
    expect(shared.wecom?.apiRoot).toBe('http://127.0.0.1:9');
    const own = loadConfig({
      ...wecomKf(),
      WECOM_CONTACT_SECRET: 'contact-secret',
      WECOM_CONTACT_TOKEN: 'Other',
      WECOM_CONTACT_ENCODING_AES_KEY: 'b'.repeat(43),
    });
    expect(own.wecom?.contact?.callback).toEqual({ token: 'Other', encodingAesKey: 'b'.repeat(43) });
    expect(own.wecom?.kf?.callback.token).toBe('Tok3n');
  });

  it('reports every bad variable at once', () => {
    expect(problems({ PORT: 'x', SHOP_LOCALE: 'fr' })).toHaveLength(2);
  });

  it('groups settings by feature, each variable under the feature that uses it', () => {
    const defaults = loadConfig({});
    expect(defaults.desk).toMatchObject({ escalateAfterFailures: 2, autoAssign: true, agentCapacity: 5 });
    expect(defaults.outbox.leaseMs).toBe(300_000);
    expect(defaults.jobs.enabled).toBe(true);
    const config = loadConfig({
      NODE_ENV: 'test',
      ESCALATE_AFTER_FAILURES: '0',
      POINTS_PER_YUAN: '3',
      SURVEY_DELAY_DAYS: '5',
      SURVEY_EXPIRY_HOURS: '24',
      MARKETING_WEEKLY_CAP: '4',
      RETURN_WINDOW_DAYS: '15',
      OUTBOX_WORKER_ID: 'w-a',
      LOG_LEVEL: 'warn',
    });
    expect(config.desk.escalateAfterFailures).toBe(0);
    expect(config.loyalty.pointsPerYuan).toBe(3);
    expect(config.surveys).toMatchObject({ delayDays: 5, expiryHours: 24 });
    expect(config.campaigns.weeklyCap).toBe(4);
    expect(config.aftersale.returnWindowDays).toBe(15);
    expect(config.outbox.workerId).toBe('w-a');
    expect(config.log.level).toBe('warn');
    // Tests drive jobs by hand unless JOBS_ENABLED says otherwise.
    expect(config.jobs.enabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', JOBS_ENABLED: 'true' }).jobs.enabled).toBe(true);
  });

  it('.env.example documents every variable the configuration reads, and nothing else', () => {
    const documented = [...readFileSync('.env.example', 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map(
      (match) => match[1],
    );
    expect([...new Set(documented)].sort()).toEqual([...settingNames].sort());
  });
});
