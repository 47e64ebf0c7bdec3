// Event-triggered campaigns on the same delivery machinery, each opt-in per shop (Setting
// `automation.<key>`): welcome, abandoned pre-sale follow-up, win-back for 沉睡 customers, birthday.
// Each automation is one Campaign row (kind automation, unique automationKey); a trigger adds
// Delivery rows whose run key limits repetition (welcome once ever, win-back once a month…).
import { z } from 'zod';
import type { Campaign } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import { type AutomationKey, automationKeys } from '../domain/campaigns.ts';
import { channelNames } from '../domain/channels.ts';
import type { SegmentRule } from '../domain/segment-rules.ts';
import { dayKey } from '../kernel/hours.ts';
import { audit } from './audit.ts';
import type { CampaignRunner } from './campaign-runner.ts';
import type { ServiceDeps } from './context.ts';

export const AutomationSettings = z
  .object({
    enabled: z.boolean().default(false),
    text: z.string().trim().min(1).max(2000).optional(),
    textEn: z.string().trim().min(1).max(2000).optional(),
    /** Birthday only: points to give with the greeting. */
    points: z.number().int().min(0).max(100_000).default(0),
  })
  .strict();
export type AutomationSettings = z.infer<typeof AutomationSettings>;

const defaults: Record<AutomationKey, { name: string; text: string; textEn: string }> = {
  welcome: {
    name: '欢迎新客 Welcome',
    text: '{name}，欢迎光临！有任何问题直接问我，回复“退订”可不再接收活动消息。',
    textEn: 'Welcome, {name}! Ask me anything. Reply "stop" to opt out of offers.',
  },
  presale_followup: {
    name: '咨询跟进 Pre-sale follow-up',
    text: '{name}，前两天你问过的商品还有货哦，需要帮你下单或再了解一下吗？',
    textEn: 'Hi {name}, the item you asked about is still in stock. Want help ordering?',
  },
  winback: {
    name: '沉睡唤醒 Win-back',
    text: '{name}，好久不见！{tier}专属回归礼已为你准备好，回复“菜单”看看新品。',
    textEn: 'We miss you, {name}! A welcome-back gift is waiting. Reply "menu" to see what is new.',
  },
  birthday: {
    name: '生日祝福 Birthday',
    text: '{name}，生日快乐！🎂 祝你天天开心。',
    textEn: 'Happy birthday, {name}! 🎂',
  },
};

const consent: SegmentRule = { type: 'consent', optIn: true };

export class AutomationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly runner: CampaignRunner,
  ) {}

  async settings(key: AutomationKey): Promise<AutomationSettings> {
    const parsed = AutomationSettings.safeParse((await this.deps.store.repos.settings.get(`automation.${key}`)) ?? {});
    return parsed.success ? parsed.data : AutomationSettings.parse({});
  }

  async configure(key: AutomationKey, input: unknown, actor: Actor): Promise<AutomationSettings> {
    const settings = AutomationSettings.parse(input);
    await this.deps.store.transaction(async (repos) => {
      await repos.settings.set(`automation.${key}`, settings);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'automation.configure',
        entity: 'automation',
        entityId: key,
        details: settings,
      });
    });
    return settings;
  }

  /** The automation's campaign, created on first use (unique automationKey: one per shop). */
  private async campaign(key: AutomationKey, settings: AutomationSettings): Promise<Campaign> {
    const repos = this.deps.store.repos;
    const d = defaults[key];
    const message = { text: settings.text ?? d.text, textEn: settings.textEn ?? d.textEn };
    const existing = await repos.campaigns.byAutomationKey(key);
    if (existing) {
      return repos.campaigns.update(existing.id, { message, status: settings.enabled ? 'running' : 'paused' });
    }
    return repos.campaigns.create({
      name: d.name,
      kind: 'automation',
      automationKey: key,
      status: 'running',
      message,
      channels: [...channelNames],
      scheduleKind: 'now',
      at: this.deps.clock.now(),
    });
  }

  /** Evaluates every enabled automation's trigger; safe to run often and on several instances. */
  async run(): Promise<Record<string, number>> {
    const now = this.deps.clock.now();
    const tz = this.deps.config.shop.timezone;
    const today = dayKey(now, tz);
    const month = today.slice(0, 7);
    const triggers: Record<AutomationKey, { runKey: string; rules: SegmentRule }> = {
      welcome: { runKey: 'once', rules: { type: 'joinedWithin', days: 2 } },
      presale_followup: {
        runKey: month,
        rules: {
          type: 'and',
          rules: [
            { type: 'interest', withinDays: 4 },
            { type: 'not', rule: { type: 'interest', withinDays: 2 } },
            { type: 'noOrderWithin', days: 4 },
          ],
        },
      },
      winback: { runKey: month, rules: { type: 'lifecycle', in: ['dormant'] } },
      birthday: {
        runKey: today.slice(0, 4),
        rules: {
          type: 'or',
          rules: [
            { type: 'field', field: 'birthday', op: 'eq', value: today.slice(5) },
            { type: 'field', field: 'birthday', op: 'contains', value: `-${today.slice(5)}` },
          ],
        },
      },
    };
    const added: Record<string, number> = {};
    for (const key of automationKeys) {
      const settings = await this.settings(key);
      const existing = await this.deps.store.repos.campaigns.byAutomationKey(key);
      if (!settings.enabled) {
        if (existing?.status === 'running') await this.campaign(key, settings);
        continue;
      }
      const campaign = await this.campaign(key, settings);
      const trigger = triggers[key];
      added[key] = await this.runner.enqueueAudience(
        campaign,
        trigger.runKey,
        { type: 'and', rules: [consent, trigger.rules] },
        now,
      );
      // The points themselves are credited by the loyalty job (LoyaltyService.creditBirthdays, key
      // `birthday:<customerId>:<year>`), so a greeting and its points never depend on each other.
    }
    return added;
  }
}
