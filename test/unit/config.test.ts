import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

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
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ provider: 'sqlite', file: './data/guanxi.db', url: 'file:./data/guanxi.db' });
    expect(config.shop).toMatchObject({ locale: 'zh-CN', timezone: 'Asia/Shanghai', seedDemo: true });
    expect(config.telegram).toBeUndefined();
    expect(config.wechat).toBeUndefined();
    expect(config.openai).toBeUndefined();
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
  ])('stops on %o naming %s and what is expected', (env, variable) => {
    const found = problems(env);
    expect(found.some((p) => p.startsWith(`${variable}:`) && p.length > variable.length + 3)).toBe(true);
  });

  it('reports every bad variable at once', () => {
    expect(problems({ PORT: 'x', SHOP_LOCALE: 'fr' })).toHaveLength(2);
  });
});
