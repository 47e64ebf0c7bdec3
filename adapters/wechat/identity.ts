// Which id a WeChat identity is keyed on. Wechaty contact ids are what messages are addressed with,
// so Identity.externalId is the contact id; but on some puppets (web protocol) that id changes
// at every login. The rule, most stable first:
//   1. the contact's handle (`contact.handle()`: the WeChat ID 微信号 on puppets that expose it);
//   2. the remark name (备注/alias) the shop's account gave the contact.
// That stable key is stored in Identity.alias. A message from an unknown contact id whose stable
// key matches a known identity is linked to the same customer (a second Identity row), so the
// profile, points and orders survive a re-login. Display names are never used as keys: they collide.
import type { ChannelDeps } from '../deps.ts';

export interface ContactKeys {
  id: string;
  name: string;
  handle?: string | undefined;
  alias?: string | undefined;
}

export function stableKey(contact: ContactKeys): string | undefined {
  const handle = contact.handle?.trim();
  if (handle) return `wx:${handle}`;
  const alias = contact.alias?.trim();
  return alias ? `alias:${alias}` : undefined;
}

/** Before the pipeline identifies a sender: links a new contact id to the customer behind its stable key, and records the key. */
export async function reconcileIdentity(deps: ChannelDeps, contact: ContactKeys): Promise<void> {
  await deps.identities.reconcileStableKey('wechat', {
    externalId: contact.id,
    displayName: contact.name,
    stableKey: stableKey(contact),
  });
}
