// The composition root: builds every part from a Config. main.ts runs it; tests build it the same way.
import { WebchatChannel } from '../adapters/webchat/index.ts';
import { connectWecomContacts } from '../adapters/wecom/contacts/index.ts';
import { createWecom, type Wecom } from '../adapters/wecom/index.ts';
import { photoFallback } from '../flows/photo.ts';
import { presaleFallback } from '../flows/presale.ts';
import { flows, interruptingFlows, notUnderstoodReply, preemptingFlows } from '../flows/registry.ts';
import { createClassifier } from './ai/classifier.ts';
import type { Config } from './config.ts';
import type { AdapterPort, StaffDeskPort } from './core/adapter-port.ts';
import type { Channel } from './core/channel.ts';
import { OutboxSender } from './core/outbox-sender.ts';
import { Pacer } from './core/pacing.ts';
import { Pipeline } from './core/pipeline.ts';
import { createAdapterPort, createTelegramStaffPort } from './core/ports.ts';
import { type Fallback, type IntentClassifier, Router } from './core/router.ts';
import { showStaffTypingInChats } from './core/staff-typing.ts';
import { resolveAdminToken } from './crm/admin-token.ts';
import type { ServiceDeps } from './crm/context.ts';
import { createServices, type Services } from './crm/services.ts';
import { PgEventRelay } from './db/event-relay.ts';
import { openStore, type Store } from './db/store.ts';
import type { HttpApp, HttpContext } from './http/context.ts';
import { buildServer, type RouteModule } from './http/server.ts';
import { webhookHost } from './http/webhooks.ts';
import { AnalyticsJob, AutomationsJob } from './jobs/analytics.ts';
import { JobScheduler } from './jobs/cron.ts';
import { LoyaltyJob } from './jobs/loyalty.ts';
import { SlaMonitor } from './jobs/sla-monitor.ts';
import { SurveyJob } from './jobs/surveys.ts';
import { WecomGroupSendJob } from './jobs/wecom-group-sends.ts';
import { type Clock, systemClock } from './kernel/clock.ts';
import { EventBus } from './kernel/events.ts';
import { parseHours, startOfDay } from './kernel/hours.ts';
import { createLogger, type Logger } from './kernel/logger.ts';

export interface AppOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  /** Extra HTTP route modules (console, webhooks) registered by later features. */
  routes?: RouteModule[];
  fallbacks?: Fallback[];
  classifier?: IntentClassifier;
  /** Generate (and keep) ADMIN_TOKEN when it is unset and none is stored yet (default true; the CLI leaves it to the server). */
  generateAdminToken?: boolean;
}

export interface App {
  config: Config;
  /** ADMIN_TOKEN when this run knows it (configured, or generated on this first run); else only its hash is kept. */
  adminToken: string | undefined;
  /** True on the first run that generated ADMIN_TOKEN: the entry point prints it once. */
  adminTokenGenerated: boolean;
  clock: Clock;
  log: Logger;
  store: Store;
  events: EventBus;
  services: Services;
  router: Router;
  pipeline: Pipeline;
  sender: OutboxSender;
  webchat: WebchatChannel;
  http: HttpApp;
  channels: Map<string, Channel>;
  /** What channel adapters get instead of services or the store; the staff desk as the Telegram staff group uses it. */
  ports: { adapter: AdapterPort; telegramStaff: StaffDeskPort };
  /**
   * WeCom, when WECOM_CORP_ID is set: the one callback path (mounted here, with the 客户联系 receiver
   * when WECOM_CONTACT_SECRET is set) and the 微信客服 channel when WECOM_KF_SECRET is set (registered).
   */
  wecom: Wecom | undefined;
  /** Every scheduled job, run by one node-cron scheduler when JOBS_ENABLED; tests call `runOnce(now)`. */
  jobs: {
    surveys: SurveyJob;
    loyalty: LoyaltyJob;
    sla: SlaMonitor;
    analytics: AnalyticsJob;
    automations: AutomationsJob;
    wecomGroupSends: WecomGroupSendJob;
  };
  /** Registers a channel adapter: its outbound pacing and its inbound handler. Call before start(). */
  addChannel(channel: Channel): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.log.level);
  const store = await openStore(config.database, { marketingConsentDefault: config.privacy.marketingConsentDefault });
  const admin = await resolveAdminToken(store, config.http.adminToken, {
    generate: options.generateAdminToken ?? true,
  });
  const events = new EventBus({
    schedule: (deliver) => store.afterCommit(deliver),
    onListenerError: (error, event) => log.error({ err: error, event }, 'event listener failed'),
  });
  // Several instances share one PostgreSQL database: live events reach the streams on all of them.
  const relay =
    config.database.provider === 'postgresql' ? await PgEventRelay.open(config.database.url, events, log) : undefined;
  const deps: ServiceDeps = { store, clock, events, config, log };
  const services = createServices(deps);
  const router = new Router({
    flows,
    interrupting: interruptingFlows,
    preempting: preemptingFlows,
    fallbacks: options.fallbacks ?? [photoFallback, presaleFallback],
    classifier: options.classifier ?? createClassifier(services.llm),
  });
  const pipeline = new Pipeline({
    store,
    clock,
    events,
    services,
    router,
    log,
    shopLocale: config.shop.locale,
    notUnderstood: notUnderstoodReply,
    escalate: (request, reason) => services.escalation.escalate(request, reason),
    escalateAfterFailures: config.desk.escalateAfterFailures,
    staffOwns: (conversation, at) =>
      conversation.status === 'open' || (conversation.status === 'pending' && services.escalation.isShopOpen(at)),
  });
  const sender = new OutboxSender(
    { store, clock, events, log },
    { workerId: config.outbox.workerId, leaseMs: config.outbox.leaseMs },
  );
  const webchat = new WebchatChannel();
  const slaMonitor = new SlaMonitor(deps, services);
  const channels = new Map<string, Channel>();

  const addChannel = async (channel: Channel) => {
    channels.set(channel.name, channel);
    const sentToday = await store.repos.outbox.countSentSince(
      channel.name,
      startOfDay(clock.now(), config.shop.timezone),
    );
    sender.addChannel(
      channel,
      new Pacer(channel.pacing, {
        timeZone: config.shop.timezone,
        quietHours: parseHours(config.shop.quietHours),
        sentToday,
      }),
    );
    services.messaging.setPrivateLinkResolver((name, payload) => channels.get(name)?.privateChatLink?.(payload));
  };
  await addChannel(webchat);
  // Staff typing shown in the chat itself where the platform has a "typing…" status (Telegram).
  const stopShowingTyping = showStaffTypingInChats({
    events,
    channel: (name) => channels.get(name),
    rateLimits: services.rateLimits,
    log,
  });

  const httpContext: HttpContext = { config, adminTokenHash: admin.hash, services, clock, events, webchat, sender };
  // WeCom 客户联系 (WECOM_CONTACT_SECRET): its API calls, and its receiver on the WeCom callback path.
  const wecomContacts = config.wecom?.contact
    ? connectWecomContacts(config.wecom, config.wecom.contact, services.wecomContacts, clock)
    : undefined;
  const http = await buildServer(httpContext, log, options.routes ?? []);
  const ports = {
    adapter: createAdapterPort({ services, clock, log, events, webhooks: webhookHost(http, log) }),
    telegramStaff: createTelegramStaffPort(services),
  };
  const wecom = config.wecom ? createWecom(config.wecom, ports.adapter) : undefined;
  if (wecom) {
    if (wecomContacts) wecom.endpoint.add(wecomContacts.receiver);
    wecom.mount();
    if (wecom.channel) await addChannel(wecom.channel);
  }
  const jobs = {
    surveys: new SurveyJob(services.surveys),
    loyalty: new LoyaltyJob(services.loyalty),
    sla: slaMonitor,
    analytics: new AnalyticsJob(deps, services),
    automations: new AutomationsJob(deps, services),
    wecomGroupSends: new WecomGroupSendJob(services.wecomContacts),
  };
  const scheduler = new JobScheduler({ clock, log, timezone: config.shop.timezone }, Object.values(jobs));

  return {
    config,
    adminToken: admin.token,
    adminTokenGenerated: admin.generated,
    clock,
    log,
    store,
    events,
    services,
    router,
    pipeline,
    sender,
    webchat,
    http,
    channels,
    ports,
    wecom,
    jobs,
    addChannel,
    async start() {
      for (const channel of channels.values()) await channel.start((inbound) => pipeline.handle(inbound));
      await sender.start();
      // The first customer question should not pay for building the catalog index.
      void services.knowledge.warm();
      if (config.jobs.enabled) scheduler.start();
      if (config.campaigns.tickMs > 0) services.campaignRunner.start(config.campaigns.tickMs);
    },
    async stop() {
      stopShowingTyping();
      await scheduler.stop();
      await services.campaignRunner.stop();
      for (const channel of channels.values()) await channel.stop();
      await sender.stop();
      await http.close();
      await services.knowledge.stop();
      await relay?.close();
      await store.close();
    },
  };
}
