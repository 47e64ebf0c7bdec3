import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { WebchatChannel } from '../../adapters/webchat/index.ts';
import type { Config } from '../config.ts';
import type { OutboxSender } from '../core/outbox-sender.ts';
import type { Services } from '../crm/services.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../kernel/clock.ts';
import type { EventBus } from '../kernel/events.ts';
import type { Logger } from '../kernel/logger.ts';

/** What route modules get: the running app's parts, never the ORM. */
export interface HttpContext {
  config: Config;
  adminToken: string;
  store: Store;
  services: Services;
  clock: Clock;
  events: EventBus;
  webchat: WebchatChannel;
  sender: OutboxSender;
}

export type HttpApp = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>;
