// The name of every flow. Button data and deep links start with one (`<flow>:<payload>`), so a
// button that only opens a flow — the main menu's entries, "talk to staff" — is typed by this list
// instead of being a free string; flows/registry.ts registers exactly these flows (checked by a test).
import { z } from 'zod';
import type { Button } from '../src/domain/messages.ts';

export const FlowName = z.enum([
  'menu',
  'help',
  'human',
  'unsubscribe',
  'subscribe',
  'privacy',
  'language',
  'cancel',
  'profile',
  'loyalty',
  'survey',
  'complaint',
  'orders',
  'aftersale',
  'presale',
  'campaign',
  'broadcast',
]);
export type FlowName = z.infer<typeof FlowName>;

/** A button that opens `flow` without an action (a flow's own actions build its other buttons). */
export function flowButton(label: string, flow: FlowName): Button {
  return { label, data: flow };
}
