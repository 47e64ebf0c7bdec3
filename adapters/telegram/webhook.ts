// The webhook endpoint: POST <path of TELEGRAM_WEBHOOK_URL>. Telegram sends the secret chosen at
// setWebhook in X-Telegram-Bot-Api-Secret-Token; the app's webhook host refuses anything else before
// the body is used.
import type { WebhookEndpoint } from '../contract.ts';

export function webhookPath(url: string): string {
  return new URL(url).pathname || '/';
}

/** How long after its arrival a button press may wait for the webhook answer before it is answered by a call. */
export const CALLBACK_ANSWER_BUDGET_MS = 500;

/**
 * A button press answered in the webhook request's answer: Telegram performs the
 * `answerCallbackQuery` named there itself, which saves a Bot API call per press (issue 13). Only
 * that call goes there: its result was never used (an expired query is just logged), whereas a
 * reply must be recorded as sent, which needs the call's result. The webhook is answered after the
 * commit, so a press still unanswered `budgetMs` after the request arrived is answered by a call of
 * its own instead, and so is a press whose handling failed (the webhook then answers 500).
 */
export class CallbackAnswer {
  private pending: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The budget counts from the request's arrival: the user has been waiting since the press. */
  private readonly arrivedAt = performance.now();

  constructor(
    private readonly answerNow: (callbackQueryId: string) => Promise<void>,
    private readonly budgetMs = CALLBACK_ANSWER_BUDGET_MS,
  ) {}

  /** Answers the press in the webhook's answer (or after the budget, by a call). */
  defer(callbackQueryId: string): void {
    const left = this.budgetMs - (performance.now() - this.arrivedAt);
    // One method per webhook answer: a second press (never seen: one update per request) goes by call.
    if (this.pending !== undefined || left <= 0) {
      void this.answerNow(callbackQueryId);
      return;
    }
    this.pending = callbackQueryId;
    this.timer = setTimeout(() => this.flush(), left);
  }

  /** The webhook answer's body: the deferred `answerCallbackQuery`, if one is still due. */
  take(): object | undefined {
    clearTimeout(this.timer);
    const id = this.pending;
    this.pending = undefined;
    return id === undefined ? undefined : { method: 'answerCallbackQuery', callback_query_id: id };
  }

  /** Answers a still-deferred press now, by a call (the budget ran out, or the handling failed). */
  flush(): void {
    clearTimeout(this.timer);
    const id = this.pending;
    this.pending = undefined;
    if (id !== undefined) void this.answerNow(id);
  }
}

export function telegramWebhook(options: {
  url: string;
  secret: string;
  onUpdate: (update: object, answer: CallbackAnswer) => Promise<unknown>;
  answerNow: (callbackQueryId: string) => Promise<void>;
}): WebhookEndpoint {
  return {
    path: webhookPath(options.url),
    secretHeader: { name: 'X-Telegram-Bot-Api-Secret-Token', value: options.secret },
    async receive(update) {
      const answer = new CallbackAnswer(options.answerNow);
      try {
        await options.onUpdate(update, answer);
      } catch (error) {
        answer.flush();
        throw error;
      }
      return answer.take();
    },
  };
}
