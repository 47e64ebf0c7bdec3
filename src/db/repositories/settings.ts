import type { PrismaTx } from '../client.ts';
import type { JsonValue } from '../types.ts';
import { insertedOnce } from './errors.ts';

/** Shop settings and small server-side payloads (long button data) kept in the database. */
export class SettingsRepository {
  constructor(private readonly db: PrismaTx) {}

  async get(key: string): Promise<JsonValue | undefined> {
    const row = await this.db.setting.findUnique({ where: { key } });
    return row?.value ?? undefined;
  }

  async set(key: string, value: JsonValue): Promise<void> {
    const stored = value ?? {};
    await this.db.setting.upsert({ where: { key }, create: { key, value: stored }, update: { value: stored } });
  }

  /** Stores the value only if the key is new; false when it already had one (another instance won). */
  setIfAbsent(key: string, value: JsonValue): Promise<boolean> {
    return insertedOnce(() => this.db.setting.create({ data: { key, value: value ?? {} } }));
  }

  async putButtonPayload(key: string, data: string): Promise<void> {
    await this.db.buttonPayload.upsert({ where: { key }, create: { key, data }, update: {} });
  }

  async buttonPayload(key: string): Promise<string | undefined> {
    return (await this.db.buttonPayload.findUnique({ where: { key } }))?.data;
  }

  /** Where a platform's message pull stopped for one account (WeCom sync_msg next_cursor). */
  async syncCursor(channel: string, account: string): Promise<string | undefined> {
    return (await this.db.syncCursor.findUnique({ where: { channel_account: { channel, account } } }))?.cursor;
  }

  async setSyncCursor(channel: string, account: string, cursor: string): Promise<void> {
    await this.db.syncCursor.upsert({
      where: { channel_account: { channel, account } },
      create: { channel, account, cursor },
      update: { cursor },
    });
  }

  /** Claims a once-only job run; false when another instance or an earlier run already has it. */
  async claimJobRun(name: string, runKey: string, at: Date): Promise<boolean> {
    return insertedOnce(() => this.db.jobRun.create({ data: { name, runKey, startedAt: at } }));
  }

  async finishJobRun(name: string, runKey: string, at: Date, status: 'done' | 'failed'): Promise<void> {
    await this.db.jobRun.update({ where: { name_runKey: { name, runKey } }, data: { status, finishedAt: at } });
  }
}
