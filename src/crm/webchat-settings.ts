// How the webchat widget looks and what it asks: the shop's name, logo and colour, and the optional
// pre-chat form. Kept in the `Setting` row `webchat.settings` beside the other shop settings; read
// by anyone (the widget loads it before the visitor says anything), changed by admins.
import type { Actor } from '../domain/audit.ts';
import { type WebchatSettings, WebchatSettingsInput } from '../domain/webchat-settings-input.ts';
import { saveSetting } from './audit.ts';
import type { ServiceDeps } from './context.ts';

export { type WebchatSettings, WebchatSettingsInput };

export const SETTINGS_KEY = 'webchat.settings';

export const DEFAULT_COLOR = '#c8102e';

export class WebchatSettingsService {
  constructor(private readonly deps: ServiceDeps) {}

  private async stored(): Promise<WebchatSettingsInput> {
    const parsed = WebchatSettingsInput.safeParse((await this.deps.store.repos.settings.get(SETTINGS_KEY)) ?? {});
    return parsed.success ? parsed.data : {};
  }

  async get(): Promise<WebchatSettings> {
    const stored = await this.stored();
    return {
      title: stored.title ?? this.deps.config.shop.name,
      logoUrl: stored.logoUrl ?? null,
      color: stored.color ?? DEFAULT_COLOR,
      locale: this.deps.config.shop.locale,
      preChat: { name: stored.preChat?.name ?? false, phone: stored.preChat?.phone ?? false },
      uploadMaxBytes: this.deps.config.uploads.maxBytes,
    };
  }

  async save(input: unknown, actor: Actor): Promise<WebchatSettings> {
    const settings = WebchatSettingsInput.parse(input);
    await saveSetting(this.deps, actor, 'webchat.settings', SETTINGS_KEY, settings);
    return this.get();
  }
}
