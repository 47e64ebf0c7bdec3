// The adapter ports built from the crm services: what adapters may ask of the running app, and the
// staff desk as the Telegram staff group uses it. The composition root (src/app.ts) builds them once.
import { asMessageAttachment } from '../crm/attachments.ts';
import type { Services } from '../crm/services.ts';
import type { DeskUser } from '../crm/staff-desk.ts';
import type { Clock } from '../kernel/clock.ts';
import type { EventBus } from '../kernel/events.ts';
import type { Logger } from '../kernel/logger.ts';
import type { AdapterPort, StaffDeskPort, StaffMember, WebhookHost } from './adapter-port.ts';
import { SendError } from './channel.ts';

type PortServices = Pick<Services, 'identities' | 'channelState' | 'attachments' | 'conversations'>;

export function createAdapterPort(deps: {
  services: PortServices;
  clock: Clock;
  log: Logger;
  events: EventBus;
  webhooks: WebhookHost;
}): AdapterPort {
  const { identities, channelState, attachments, conversations } = deps.services;
  return {
    clock: deps.clock,
    log: deps.log,
    identities: {
      isKnown: (channel, externalId) => identities.isKnown(channel, externalId),
      setReachable: (channel, externalId, reachable) => identities.setReachable(channel, externalId, reachable),
      reconcileStableKey: (channel, user) => identities.reconcileStableKey(channel, user),
      recordSource: (channel, externalId, source) => identities.recordSource(channel, externalId, source),
    },
    buttonPayloads: {
      put: (key, data) => channelState.putButtonPayload(key, data),
      get: (key) => channelState.buttonPayload(key),
    },
    values: {
      get: (key) => channelState.value(key),
      set: (key, value) => channelState.setValue(key, value),
    },
    conversations: {
      takenOnPlatform: (channel, chatId, by) => conversations.takeOnPlatform(channel, chatId, by),
      endedOnPlatform: (channel, chatId, by) => conversations.endOnPlatform(channel, chatId, by),
      staffMessageOnPlatform: (channel, chatId, message) =>
        conversations.logStaffMessageOnPlatform(channel, chatId, message),
      refusedOnPlatform: (channel, chatId, refusal) => conversations.platformRefused(channel, chatId, refusal),
      onChange: (channel, listener) =>
        deps.events.on('conversation', (event) => {
          // The platform's own changes are not echoed back to it.
          if (event.reason?.startsWith(`${channel}:`)) return;
          void (async () => {
            const chat = await conversations.platformChat(event.id);
            if (chat?.channel === channel) {
              await listener({ chatId: chat.externalId, status: event.status, assignee: chat.assignee });
            }
          })().catch((error: unknown) =>
            deps.log.warn({ err: error, conversationId: event.id, channel }, 'conversation change not mirrored'),
          );
        }),
    },
    cursors: {
      get: (channel, account) => channelState.syncCursor(channel, account),
      set: (channel, account, cursor) => channelState.setSyncCursor(channel, account, cursor),
    },
    webhooks: deps.webhooks,
    files: {
      maxImageBytes: attachments.maxBytes,
      saveImage: async (channel, owner, bytes, name) =>
        asMessageAttachment(
          await attachments.saveImage({ channel, owner, bytes: Buffer.from(bytes), ...(name ? { name } : {}) }),
        ),
      read: async (id) => {
        // A file gone from the data folder will not come back: the row fails instead of being retried.
        const stored = await attachments.readForSending(id).catch((error: unknown) => {
          throw new SendError(`photo ${id} cannot be read: ${String(error)}`, 'permanent');
        });
        return { attachment: asMessageAttachment(stored.attachment), bytes: stored.bytes };
      },
    },
  };
}

type DeskServices = Pick<Services, 'desk' | 'staff' | 'staffRelay' | 'relayThreads'>;

/** The staff desk for the Telegram staff group: members are the staff accounts with that Telegram user id. */
export function createTelegramStaffPort(services: DeskServices): StaffDeskPort {
  const { desk, staff, staffRelay, relayThreads } = services;
  const user = (member: StaffMember): DeskUser => ({ ...member, source: 'telegram' });
  return {
    attach: (staffConsole) => staffRelay.add(staffConsole),
    async member(userId) {
      const account = await staff.activeByTelegramUser(userId);
      return account
        ? { staffId: account.id, role: account.role === 'admin' ? 'admin' : 'agent', name: account.name }
        : null;
    },
    refuse: (attempt) => desk.refuseOutsider({ channel: 'telegram', ...attempt }),
    async take(member, conversationId) {
      await desk.take(user(member), conversationId);
    },
    async release(member, conversationId) {
      await desk.release(user(member), conversationId);
    },
    async resolve(member, conversationId) {
      await desk.resolve(user(member), conversationId);
    },
    async reply(member, conversationId, text) {
      await desk.reply(user(member), conversationId, text);
    },
    note: (member, conversationId, text) => desk.note(user(member), conversationId, text),
    async profile(member, conversationId) {
      const view = await desk.view(user(member), conversationId);
      const { customer } = view;
      return {
        customer: { id: customer.id, name: customer.name, tier: customer.tier, pointsBalance: customer.pointsBalance },
        identities: view.identities.map((i) => ({
          channel: i.channel,
          externalId: i.externalId,
          displayName: i.displayName,
        })),
        tags: view.tags,
        orders: view.orders.map((o) => ({ orderNo: o.orderNo, status: o.status })),
        cases: view.cases.map((k) => ({ caseNo: k.caseNo, type: k.type, status: k.status })),
      };
    },
    threads: {
      threadOf: (conversationId) => relayThreads.threadOf(conversationId),
      setThread: (conversationId, thread) => relayThreads.setThread(conversationId, thread),
      setThreadIfUnset: (conversationId, thread) => relayThreads.setThreadIfUnset(conversationId, thread),
      link: (chatId, messageKey, conversationId) => relayThreads.link(chatId, messageKey, conversationId),
      conversationOf: (chatId, messageKey) => relayThreads.conversationOf(chatId, messageKey),
    },
  };
}
