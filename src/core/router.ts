// Decides which flow gets a message. Routing is an ordered list of named stages (`routingStages`),
// each a small function that claims the message or passes it on; the order is declared here once and
// docs/architecture.md ("Routing order") is checked against it by a test. The router sees a narrow
// value — the text, a pressed button's data, the active flow and its stored state — so it runs
// without a database.
import type { TextClassifier } from '../ai/classifier.ts';
import { escapeFlow } from '../ai/phrases.ts';
import type { ActionView } from './actions.ts';
import { splitButtonData } from './actions.ts';
import type { FlowContext, FlowInput, FlowResult, RegisteredFlow } from './flow.ts';

/** Names the intent of a message (a flow's `triggers.intents`), or null when it cannot tell. */
export type IntentClassifier = TextClassifier;

/** A last resort before "not understood": returns null when it has no confident answer. */
export type Fallback = (ctx: FlowContext) => Promise<FlowResult<unknown> | null>;

/** What the router needs to know about one message. */
export interface RouteInput {
  /** The text, bot mention removed and whitespace collapsed (a pressed button's label for a press). */
  text: string;
  /** The data of a pressed button (or of a chosen numbered option). */
  action?: string;
  /** The conversation's active flow and its stored state. */
  active?: { flow: string; state: unknown };
  /** How many files the app stored for the message (a photo): a photo alone is something to answer too. */
  attachments?: number;
}

export type FlowStep = (ctx: FlowContext) => Promise<FlowResult<unknown>>;

export type Route =
  | {
      kind: 'start';
      stage: StageName;
      flow: string;
      action: ActionView | undefined;
      /** The active flow's stored state no longer matched its schema: the flow starts over. */
      restart?: true;
      run: FlowStep;
    }
  | { kind: 'resume'; stage: StageName; flow: string; action: ActionView | undefined; run: FlowStep }
  | { kind: 'fallback'; stage: StageName; fallbacks: readonly Fallback[] }
  | { kind: 'unknown'; stage: StageName };

export interface RouterOptions {
  flows: RegisteredFlow[];
  /** Flows whose commands leave any active flow (人工, 退订, 菜单, 取消…). */
  interrupting?: string[];
  /**
   * Flows whose patterns are checked before the active flow and the commands (complaint detection:
   * an angry customer is never answered with the next step of a product question).
   */
  preempting?: string[];
  classifier?: IntentClassifier;
  intentThreshold?: number;
  fallbacks?: Fallback[];
}

/** One message as the stages see it; the command match is computed once, when a stage asks. */
interface Message {
  text: string;
  attachments: number;
  /** Button data split into flow name and payload; present for any press, known flow or not. */
  pressed: { flow: string; payload: string | undefined } | undefined;
  active: { flow: RegisteredFlow; state: unknown } | undefined;
  command(): { flow: RegisteredFlow; input: FlowInput } | undefined;
}

interface Table {
  flows: readonly RegisteredFlow[];
  byName: ReadonlyMap<string, RegisteredFlow>;
  interrupting: ReadonlySet<string>;
  preempting: readonly RegisteredFlow[];
  classifier: IntentClassifier | undefined;
  intentThreshold: number;
  fallbacks: readonly Fallback[];
}

/** The routing stages, first to last: the one place the order is declared. */
export const routingOrder = [
  'action',
  'deep link',
  'preempting',
  'escape word',
  'interrupting command',
  'active flow',
  'command',
  'pattern',
  'intent',
  'fallback',
  'not understood',
] as const;
export type StageName = (typeof routingOrder)[number];

export interface RoutingStage {
  /** What the stage does, in the words docs/architecture.md uses. */
  summary: string;
  /** The route when this stage claims the message, else undefined (the next stage decides). */
  route(message: Message, table: Table): Route | undefined | Promise<Route | undefined>;
}

const start = (stage: StageName, flow: RegisteredFlow, input: FlowInput): Extract<Route, { kind: 'start' }> => ({
  kind: 'start',
  stage,
  flow: flow.name,
  action: input.action,
  run: (ctx) => input.start(ctx),
});

/** The active flow's next step, or a fresh start when its stored state no longer matches. */
const resume = (stage: StageName, flow: RegisteredFlow, input: FlowInput, state: unknown): Route => {
  const next = input.resume(state);
  if (!next) return { ...start(stage, flow, input), restart: true };
  return { kind: 'resume', stage, flow: flow.name, action: input.action, run: next };
};

const hasText = (message: Message) => message.text.trim().length > 0;

export const routingStages: Record<StageName, RoutingStage> = {
  action: {
    summary:
      'a pressed button `<flow>:<payload>` goes to its flow with the typed action: the active flow resumes, another flow starts; a payload the flow does not accept is no button of it, and routing goes on with the label',
    route({ pressed, active }, { byName }) {
      const flow = pressed && byName.get(pressed.flow);
      const input = flow?.accept(pressed?.payload, 'button');
      if (!flow || !input) return undefined;
      return active?.flow === flow ? resume('action', flow, input, active.state) : start('action', flow, input);
    },
  },
  'deep link': {
    summary: '`/start <flow>_<payload>` (a Telegram deep link) starts `<flow>` with the action the payload names',
    route({ text }, { byName }) {
      const link = /^\/start(?:@\w+)?\s+(\S+)/i.exec(text)?.[1];
      if (!link) return undefined;
      const at = link.indexOf('_');
      const flow = byName.get(at === -1 ? link : link.slice(0, at));
      if (!flow) return undefined;
      return start(
        'deep link',
        flow,
        flow.accept(at === -1 ? undefined : link.slice(at + 1), 'deeplink') ?? flow.plain(),
      );
    },
  },
  preempting: {
    summary:
      'typed text matching a preempting flow’s patterns (complaint detection) starts it, even inside another flow',
    route(message, { preempting }) {
      if (message.pressed) return undefined;
      const flow = preempting.find((f) => f.triggers.patterns?.some((pattern) => pattern.test(message.text)));
      return flow ? start('preempting', flow, flow.plain()) : undefined;
    },
  },
  'escape word': {
    summary:
      'typed text that is an escape word as a whole (a main-menu label with or without its emoji, 人工, 退订, a short hand-off phrase such as 客服在吗: `escapeFlow` in src/ai/phrases.ts) starts that flow, even inside another flow',
    route(message, { byName }) {
      if (message.pressed) return undefined;
      const flow = byName.get(escapeFlow(message.text) ?? '');
      return flow ? start('escape word', flow, flow.plain()) : undefined;
    },
  },
  'interrupting command': {
    summary:
      'the escape words (菜单 or /start, 帮助/help, 人工/human, 退订/stop, 取消/cancel, English/中文: the commands of `interruptingFlows` in flows/registry.ts) leave any active flow, so a customer can always get out, get help or get a person',
    route(message, { interrupting }) {
      const command = message.command();
      if (!command || !interrupting.has(command.flow.name)) return undefined;
      return start('interrupting command', command.flow, command.input);
    },
  },
  'active flow': {
    summary:
      'typed text goes to the active flow’s next step; a stored state that no longer matches the flow’s schema starts the flow over',
    route({ pressed, active }) {
      if (!active || pressed) return undefined;
      return resume('active flow', active.flow, active.flow.plain(), active.state);
    },
  },
  command: {
    summary:
      'an exact command of any flow (`积分`, `/orders 20251111-0042`) starts it; a slash command’s argument is read as an action',
    route(message) {
      const command = message.command();
      return command ? start('command', command.flow, command.input) : undefined;
    },
  },
  pattern: {
    summary: 'a flow whose patterns match the text starts, in registry order',
    route({ text }, { flows }) {
      const flow = flows.find((f) => f.triggers.patterns?.some((pattern) => pattern.test(text)));
      return flow ? start('pattern', flow, flow.plain()) : undefined;
    },
  },
  intent: {
    summary: 'the intent classifier (rules, then the optional LLM) names a flow with enough confidence',
    async route(message, { flows, classifier, intentThreshold }) {
      if (!classifier || !hasText(message)) return undefined;
      const result = await classifier.classify(message.text);
      if (!result || result.confidence < intentThreshold) return undefined;
      const flow = flows.find((f) => f.triggers.intents?.includes(result.intent));
      return flow ? start('intent', flow, flow.plain()) : undefined;
    },
  },
  fallback: {
    summary:
      'the fallbacks (a photo sent on its own is acknowledged; pre-sale Q&A from the catalogue and FAQ) answer any other text or photo when they are confident',
    route(message, { fallbacks }) {
      return fallbacks.length > 0 && (hasText(message) || message.attachments > 0)
        ? { kind: 'fallback', stage: 'fallback', fallbacks }
        : undefined;
    },
  },
  'not understood': {
    summary: 'the bot says it did not understand and offers the main menu (repeated failures escalate to staff)',
    route: () => ({ kind: 'unknown', stage: 'not understood' }),
  },
};

export class Router {
  private readonly table: Table;
  /** Every flow's commands, lower-cased once, in registry order. */
  private readonly commands: ReadonlyArray<{ flow: RegisteredFlow; command: string; slash: boolean }>;
  /** Each command's first place in `commands` (a message is looked up, not compared with each). */
  private readonly exactCommands = new Map<string, number>();
  /** The slash commands with their place in `commands` (they may carry an argument). */
  private readonly slashCommands: Array<[number, { flow: RegisteredFlow; command: string }]> = [];

  constructor(options: RouterOptions) {
    const byName = new Map<string, RegisteredFlow>();
    for (const flow of options.flows) {
      if (byName.has(flow.name)) throw new Error(`flow ${flow.name} registered twice`);
      byName.set(flow.name, flow);
    }
    const lookup = (name: string) => {
      const flow = byName.get(name);
      if (!flow) throw new Error(`routing names flow ${name}, which is not registered`);
      return flow;
    };
    this.table = {
      flows: options.flows,
      byName,
      interrupting: new Set((options.interrupting ?? []).map((name) => lookup(name).name)),
      preempting: (options.preempting ?? []).map(lookup),
      classifier: options.classifier,
      intentThreshold: options.intentThreshold ?? 0.6,
      fallbacks: options.fallbacks ?? [],
    };
    this.commands = options.flows.flatMap((flow) =>
      (flow.triggers.commands ?? []).map((command) => {
        const lower = command.toLowerCase();
        return { flow, command: lower, slash: lower.startsWith('/') };
      }),
    );
    for (const [index, entry] of this.commands.entries()) {
      if (!this.exactCommands.has(entry.command)) this.exactCommands.set(entry.command, index);
      if (entry.slash) this.slashCommands.push([index, entry]);
    }
  }

  flow(name: string): RegisteredFlow | undefined {
    return this.table.byName.get(name);
  }

  async route(input: RouteInput): Promise<Route> {
    const active = input.active && this.table.byName.get(input.active.flow);
    let command: { match: ReturnType<Message['command']> } | undefined;
    const message: Message = {
      text: input.text,
      attachments: input.attachments ?? 0,
      pressed: input.action ? splitButtonData(input.action) : undefined,
      active: active && input.active ? { flow: active, state: input.active.state } : undefined,
      command: () => {
        command ??= { match: this.command(input.text) };
        return command.match;
      },
    };
    for (const stage of routingOrder) {
      // Only the intent stage can be asynchronous: the others are not awaited (a turn of the event
      // loop each, on every message).
      const claimed = routingStages[stage].route(message, this.table);
      const route = claimed instanceof Promise ? await claimed : claimed;
      if (route) return route;
    }
    return { kind: 'unknown', stage: 'not understood' };
  }

  /** An exact command of a flow; a slash command may carry an argument, read as an action payload. */
  private command(text: string): { flow: RegisteredFlow; input: FlowInput } | undefined {
    const clean = text.trim().toLowerCase().replace(/@\w+$/, '');
    if (!clean) return undefined;
    // The first command in registry order that matches, as a scan of every command would find it:
    // the exact one from the map, unless a slash command listed before it takes an argument.
    const exact = this.exactCommands.get(clean);
    if (clean.startsWith('/')) {
      for (const [index, { flow, command: c }] of this.slashCommands) {
        if (exact !== undefined && index > exact) break;
        if (clean.startsWith(`${c} `)) {
          const argument = text.trim().slice(c.length).trim();
          return { flow, input: flow.accept(argument, 'button') ?? flow.plain() };
        }
      }
    }
    const found = exact === undefined ? undefined : this.commands[exact];
    return found ? { flow: found.flow, input: found.flow.plain() } : undefined;
  }
}
