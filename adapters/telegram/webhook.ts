// The webhook endpoint: POST <path of TELEGRAM_WEBHOOK_URL>. Telegram sends the secret chosen at
// setWebhook in X-Telegram-Bot-Api-Secret-Token; the app's webhook host refuses anything else before
// the body is used.
import type { WebhookEndpoint } from '../contract.ts';

export function webhookPath(url: string): string {
  return new URL(url).pathname || '/';
}

export function telegramWebhook(options: {
  url: string;
  secret: string;
  onUpdate: (update: object) => Promise<unknown>;
}): WebhookEndpoint {
  return {
    path: webhookPath(options.url),
    secretHeader: { name: 'X-Telegram-Bot-Api-Secret-Token', value: options.secret },
    async receive(update) {
      await options.onUpdate(update);
    },
  };
}
