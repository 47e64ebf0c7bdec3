// Decides who gets a message: a pressed button's flow, an interrupting command, the active flow,
// a command or pattern, the intent classifier, the fallbacks (pre-sale Q&A), or "not understood".
import type { FlowContext, FlowResult, RegisteredFlow } from './flow.ts';
import { parseAction } from './flow.ts';

export interface IntentClassifier {
  classify(text: string, ctx: FlowContext): Promise<{ intent: string; confidence: number } | null>;
}

/** A last resort before "not understood": returns null when it has no confident answer. */
export type Fallback = (ctx: FlowContext) => Promise<FlowResult<unknown> | null>;

export type Route =
  | {
      kind: 'start';
      flow: RegisteredFlow;
      input: string | undefined;
      via: 'action' | 'command' | 'pattern' | 'intent' | 'deeplink';
    }
  | { kind: 'resume'; flow: RegisteredFlow; state: unknown }
  | { kind: 'fallback'; fallbacks: Fallback[] }
  | { kind: 'unknown' };

export interface RouterOptions {
  flows: RegisteredFlow[];
  /** Commands that leave any active flow (人工, 退订, /start, 菜单…), by flow name. */
  interrupting?: string[];
  classifier?: IntentClassifier;
  fallbacks?: Fallback[];
  intentThreshold?: number;
  /**
   * Flows whose patterns are checked before anything else, even inside another flow (complaint
   * detection: an angry customer is never answered with the next step of a product question).
   */
  preempting?: string[];
}

export class Router {
  private readonly byName = new Map<string, RegisteredFlow>();
  private readonly interrupting: Set<string>;

  constructor(private readonly options: RouterOptions) {
    for (const flow of options.flows) {
      if (this.byName.has(flow.name)) throw new Error(`flow ${flow.name} registered twice`);
      this.byName.set(flow.name, flow);
    }
    this.interrupting = new Set(options.interrupting ?? []);
  }

  flow(name: string): RegisteredFlow | undefined {
    return this.byName.get(name);
  }

  async route(ctx: FlowContext): Promise<Route> {
    const action = ctx.inbound.action;
    const active = ctx.conversation.flow ? this.byName.get(ctx.conversation.flow) : undefined;
    if (action) {
      const { flow: name, payload } = parseAction(action.data);
      if (active && active.name === name) return { kind: 'resume', flow: active, state: ctx.conversation.flowState };
      const flow = this.byName.get(name);
      if (flow) return { kind: 'start', flow, input: payload, via: 'action' };
    }
    const deepLink = /^\/start(?:@\w+)?\s+(\S+)/i.exec(ctx.text);
    if (deepLink?.[1]) {
      const route = this.deepLink(deepLink[1]);
      if (route) return route;
    }
    if (!action) {
      for (const name of this.options.preempting ?? []) {
        const flow = this.byName.get(name);
        if (flow?.triggers.patterns?.some((pattern) => pattern.test(ctx.text))) {
          return { kind: 'start', flow, input: undefined, via: 'pattern' };
        }
      }
    }
    const command = this.command(ctx.text);
    if (command && this.interrupting.has(command.flow.name)) {
      return { kind: 'start', flow: command.flow, input: command.input, via: 'command' };
    }
    if (active && !action) return { kind: 'resume', flow: active, state: ctx.conversation.flowState };
    if (command) return { kind: 'start', flow: command.flow, input: command.input, via: 'command' };
    for (const flow of this.options.flows) {
      if (flow.triggers.patterns?.some((pattern) => pattern.test(ctx.text))) {
        return { kind: 'start', flow, input: undefined, via: 'pattern' };
      }
    }
    if (this.options.classifier && ctx.text.trim()) {
      const result = await this.options.classifier.classify(ctx.text, ctx);
      if (result && result.confidence >= (this.options.intentThreshold ?? 0.6)) {
        const flow = this.options.flows.find((f) => f.triggers.intents?.includes(result.intent));
        if (flow) return { kind: 'start', flow, input: undefined, via: 'intent' };
      }
    }
    const fallbacks = this.options.fallbacks ?? [];
    if (fallbacks.length > 0 && ctx.text.trim()) return { kind: 'fallback', fallbacks };
    return { kind: 'unknown' };
  }

  private command(text: string): { flow: RegisteredFlow; input: string | undefined } | undefined {
    const clean = text.trim().toLowerCase().replace(/@\w+$/, '');
    if (!clean) return undefined;
    for (const flow of this.options.flows) {
      for (const command of flow.triggers.commands ?? []) {
        const c = command.toLowerCase();
        if (clean === c) return { flow, input: undefined };
        if (c.startsWith('/') && clean.startsWith(`${c} `)) return { flow, input: text.trim().slice(c.length).trim() };
      }
    }
    return undefined;
  }

  /** `/start <flow>_<arg>` (Telegram deep-link payloads allow only A-Z a-z 0-9 _ -). */
  private deepLink(payload: string): Route | undefined {
    const at = payload.indexOf('_');
    const name = at === -1 ? payload : payload.slice(0, at);
    const flow = this.byName.get(name);
    if (!flow) return undefined;
    return { kind: 'start', flow, input: at === -1 ? undefined : payload.slice(at + 1), via: 'deeplink' };
  }
}
