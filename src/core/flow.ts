// Flows are plain objects: a name, triggers, a zod schema of their state, and two functions that
// return replies. They never touch a platform SDK or the ORM; state lives in the conversation row.
import type { z } from 'zod';
import type { Services } from '../crm/services.ts';
import type { Chat, Conversation, Customer, Identity } from '../db/types.ts';
import type { Inbound, Reply } from '../domain/messages.ts';
import type { Locale, Translate } from '../kernel/i18n.ts';
import type { TurnRecord } from './turn.ts';

export interface FlowContext {
  inbound: Inbound;
  customer: Customer;
  identity: Identity;
  conversation: Conversation;
  chat: Chat;
  locale: Locale;
  t: Translate;
  services: Services;
  now: Date;
  /** The text with the bot mention and surrounding space removed. */
  text: string;
  /** Profile events and tags of this turn, committed together with the replies. */
  turn: TurnRecord;
}

export type FlowResult<S> =
  /** Stay in the flow; the next message goes to `handle` with this state. */
  | { type: 'continue'; replies: Reply[]; state: S }
  /**
   * The flow is finished. `understood: false` marks a reply that admits the bot did not get it
   * (e.g. a low-confidence pre-sale answer): it counts towards escalation after repeated failures.
   */
  | { type: 'done'; replies: Reply[]; understood?: boolean }
  /** Hand the conversation to staff. */
  | { type: 'handoff'; replies: Reply[]; reason: string }
  /** Leave this flow and start another one (e.g. a menu button). */
  | { type: 'switch'; flow: string; input?: string; replies?: Reply[] };

export interface FlowTriggers {
  /** Exact commands, compared case-insensitively after trimming: '/points', '积分'. */
  commands?: string[];
  /** Patterns that start the flow when found anywhere in the text. */
  patterns?: RegExp[];
  /** Intent names from the classifier. */
  intents?: string[];
}

export interface Flow<S> {
  name: string;
  triggers: FlowTriggers;
  state: z.ZodType<S>;
  /** Starts the flow; `input` is the payload of a `<flow>:<input>` button or a deep link. */
  start(ctx: FlowContext, input: string | undefined): Promise<FlowResult<S>>;
  /** Handles the next message while the flow is active. */
  handle(ctx: FlowContext, state: S): Promise<FlowResult<S>>;
}

/** A flow with its state type erased: the state is validated by the flow's own schema on load. */
export interface RegisteredFlow {
  name: string;
  triggers: FlowTriggers;
  start(ctx: FlowContext, input: string | undefined): Promise<FlowResult<unknown>>;
  /** `raw` is the stored state; if it no longer matches the schema the flow restarts. */
  resume(ctx: FlowContext, raw: unknown): Promise<FlowResult<unknown>>;
}

export function defineFlow<S>(flow: Flow<S>): RegisteredFlow {
  return {
    name: flow.name,
    triggers: flow.triggers,
    start: (ctx, input) => flow.start(ctx, input),
    resume: (ctx, raw) => {
      const parsed = flow.state.safeParse(raw);
      return parsed.success ? flow.handle(ctx, parsed.data) : flow.start(ctx, undefined);
    },
  };
}

/** Button data is `<flow>:<payload>`; a press reaches that flow whether or not it is active. */
export function button(label: string, flow: string, payload = ''): { label: string; data: string } {
  return { label, data: payload ? `${flow}:${payload}` : flow };
}

export function parseAction(data: string): { flow: string; payload: string | undefined } {
  const at = data.indexOf(':');
  return at === -1 ? { flow: data, payload: undefined } : { flow: data.slice(0, at), payload: data.slice(at + 1) };
}
