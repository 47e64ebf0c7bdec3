import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { HandleResult } from '../core/channel.ts';
import type { OutboxSender } from '../core/outbox-sender.ts';
import type { Services } from '../crm/services.ts';
import type { Clock } from '../kernel/clock.ts';
import type { EventBus } from '../kernel/events.ts';
import type { Logger } from '../kernel/logger.ts';

/** The webchat channel as the webchat API drives it (adapters/webchat implements it). */
export interface WebchatInbox {
  receive(
    message: { visitorId: string; text?: string; action?: string; messageId?: string; name?: string },
    at: Date,
  ): Promise<{ messageId: string; result: HandleResult }>;
}

/** What route modules get: the running app's services and runtime parts, never the store or the ORM. */
export interface HttpContext {
  config: Config;
  /** SHA-256 of ADMIN_TOKEN (set in the environment, or generated on first run and kept hashed). */
  adminTokenHash: string;
  services: Services;
  clock: Clock;
  events: EventBus;
  webchat: WebchatInbox;
  sender: OutboxSender;
}

export type HttpApp = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>;
