// The flow API. A conversation flow is either a command — one function of the context and of its
// typed action, answering one message (`defineCommand`) — or a multi-step flow whose zod state lives
// in the conversation row between messages (`defineFlow`). Flows never touch a platform SDK or the
// ORM; their buttons are built from their declared actions (actions.ts).
import { z } from 'zod';
import type { Services } from '../crm/services.ts';
import type { Chat, Conversation, Customer, Identity } from '../db/types.ts';
import type { Inbound, Reply } from '../domain/messages.ts';
import type { Locale, Translate } from '../kernel/i18n.ts';
import type { Action, ActionSchemas, ActionView, FlowActions, PayloadFormat } from './actions.ts';
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
  /**
   * Leave this flow and start another one; `input` is a payload of that flow's actions (as in button
   * data `<flow>:<input>`), read by it — one it does not accept starts it without an action.
   */
  | { type: 'switch'; flow: string; input?: string; replies?: Reply[] };

/** What a command returns: it answers and is done, hands off or switches; it never stays active. */
export type CommandResult = Exclude<FlowResult<never>, { type: 'continue' }>;

export interface FlowTriggers {
  /**
   * Exact commands, compared case-insensitively after trimming: '/points', '积分'. A slash command
   * may carry an argument (`/orders 20251111-0042`), read as a payload of the flow's actions.
   */
  commands?: string[];
  /** Patterns that start the flow when found anywhere in the text. */
  patterns?: RegExp[];
  /** Intent names from the classifier. */
  intents?: string[];
}

export interface FlowDefinition<S, O extends ActionSchemas> {
  name: string;
  triggers?: FlowTriggers;
  /** The state kept between messages (its type comes from this schema alone); a stored state that no longer matches restarts the flow. */
  state: z.ZodType<S>;
  /** The actions its buttons carry (defineActions); without them a button only starts the flow. */
  actions?: FlowActions<O>;
  /** Starts the flow: from a trigger, or from a button or deep link carrying `action`. */
  start(ctx: FlowContext, action: Action<O> | undefined): Promise<FlowResult<NoInfer<S>>>;
  /** The next message while the flow is active; `action` when it is a press of one of its buttons. */
  handle(ctx: FlowContext, state: NoInfer<S>, action: Action<O> | undefined): Promise<FlowResult<NoInfer<S>>>;
}

export interface CommandDefinition<O extends ActionSchemas> {
  name: string;
  triggers?: FlowTriggers;
  actions?: FlowActions<O>;
  /** Answers one message: a trigger, or a button or deep link carrying `action`. */
  run(ctx: FlowContext, action: Action<O> | undefined): Promise<CommandResult>;
}

/** An input a flow accepted (no payload, or a payload its actions read), ready to run. */
export interface FlowInput {
  /** The decoded action, for routing decisions, tests and logs. */
  readonly action: ActionView | undefined;
  start(ctx: FlowContext): Promise<FlowResult<unknown>>;
  /** The next step with the stored `state`; undefined when that state no longer matches the flow's schema. */
  resume(state: unknown): ((ctx: FlowContext) => Promise<FlowResult<unknown>>) | undefined;
}

/** A flow as the router and the pipeline see it: its state and action types stay inside. */
export interface RegisteredFlow {
  readonly name: string;
  readonly triggers: FlowTriggers;
  /**
   * Reads the payload of `<flow>:<payload>` (or of a deep link) as one of the flow's actions;
   * undefined when it is not one of them: that is not a button of this flow. No payload reads as
   * "no action".
   */
  accept(payload: string | undefined, format?: PayloadFormat): FlowInput | undefined;
  /** The flow's input without an action (a trigger, or a button that only names the flow). */
  plain(): FlowInput;
}

/** A multi-step flow: state kept in the conversation row between messages. */
export function defineFlow<S, O extends ActionSchemas = []>(definition: FlowDefinition<S, O>): RegisteredFlow {
  const { name, actions } = definition;
  if (actions && actions.flow !== name) throw new Error(`flow ${name} declares the actions of ${actions.flow}`);
  const input = (action: Action<O> | undefined): FlowInput => ({
    action,
    start: (ctx) => definition.start(ctx, action),
    resume(raw) {
      const state = definition.state.safeParse(raw);
      return state.success ? (ctx) => definition.handle(ctx, state.data, action) : undefined;
    },
  });
  return {
    name,
    triggers: definition.triggers ?? {},
    accept(payload, format = 'button') {
      if (!payload) return input(undefined);
      const action = actions?.read(payload, format);
      return action === undefined ? undefined : input(action);
    },
    plain: () => input(undefined),
  };
}

/** A stateless flow: one function of the context and of its typed action. */
export function defineCommand<O extends ActionSchemas = []>(definition: CommandDefinition<O>): RegisteredFlow {
  return defineFlow<null, O>({
    name: definition.name,
    ...(definition.triggers ? { triggers: definition.triggers } : {}),
    ...(definition.actions ? { actions: definition.actions } : {}),
    state: z.null(),
    start: (ctx, action) => definition.run(ctx, action),
    handle: (ctx, _state, action) => definition.run(ctx, action),
  });
}
