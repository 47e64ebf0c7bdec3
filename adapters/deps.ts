// What an adapter may use from the running app: one AdapterPort (adapters/contract.ts) that the
// composition root builds from the crm services: identify platform users, record whether they can be
// messaged, keep long button payloads and small state, serve a webhook, the clock and the logger.
// Adapters never see services, the store or the ORM.
import type { AdapterPort } from './contract.ts';

export type ChannelDeps = AdapterPort;
