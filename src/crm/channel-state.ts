// Small values channel adapters keep in the database so that every instance, and a restarted one,
// sees them: button data too long for the platform (stored under a short key) and adapter state such
// as the last numbered menu of a chat.
import type { ChannelName } from '../domain/channels.ts';
import type { JsonValue } from '../domain/json.ts';
import type { ServiceDeps } from './context.ts';

export class ChannelStateService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Stores a button's data under `key` (content-addressed by the caller, so a second put is a no-op). */
  putButtonPayload(key: string, data: string): Promise<void> {
    return this.deps.store.repos.settings.putButtonPayload(key, data);
  }

  buttonPayload(key: string): Promise<string | undefined> {
    return this.deps.store.repos.settings.buttonPayload(key);
  }

  /** An adapter's value under its own key prefix (e.g. `wechat:menu:…`); undefined when never set. */
  value(key: string): Promise<unknown> {
    return this.deps.store.repos.settings.get(key);
  }

  setValue(key: string, value: JsonValue): Promise<void> {
    return this.deps.store.repos.settings.set(key, value);
  }

  /** Where the channel's message pull for `account` stopped (undefined: never pulled). */
  syncCursor(channel: ChannelName, account: string): Promise<string | undefined> {
    return this.deps.store.repos.settings.syncCursor(channel, account);
  }

  setSyncCursor(channel: ChannelName, account: string, cursor: string): Promise<void> {
    return this.deps.store.repos.settings.setSyncCursor(channel, account, cursor);
  }
}
