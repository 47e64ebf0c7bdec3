// Marketing consent is opt-in (PIPL): a new customer has it only where the shop says first contact
// means consent (MARKETING_CONSENT_DEFAULT: false, true, or the channels where customers add the shop
// themselves). Changes later come from the customer (订阅/退订, the widget checkbox) and are recorded
// as profile events with their time and channel.
import type { ChannelName } from './channels.ts';

/** false (default): nobody starts opted in; true: everybody; a list: customers first met on those channels. */
export type ConsentDefault = boolean | readonly ChannelName[];

export function consentOnFirstContact(policy: ConsentDefault, channel: ChannelName | null): boolean {
  if (typeof policy === 'boolean') return policy;
  return channel !== null && policy.includes(channel);
}
