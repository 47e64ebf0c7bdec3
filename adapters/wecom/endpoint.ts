// The one WeCom callback URL (WECOM_CALLBACK_PATH) as the main HTTP server serves it. 微信客服 and
// 客户联系 callbacks arrive on the same path, each signed with its own Token and EncodingAESKey (or the
// same pair): every receiver is tried in turn and the first whose signature matches and that takes
// the event's kind handles it (with one shared pair, both verify every request: the kind decides).
// A request no receiver verifies is refused with 401 before anything inside it is used; one that
// verifies but that no receiver takes is acknowledged, so WeCom does not deliver it again.
import { UnauthorizedError } from '../../src/domain/errors.ts';
import type { SignedWebhookEndpoint } from '../contract.ts';
import { MAX_CALLBACK_BYTES, openCallback, verifyUrl } from './callback.ts';
import { CallbackRejected, type WecomCrypto } from './crypto.ts';

export interface CallbackReceiver {
  crypto: WecomCrypto;
  /** Whether this receiver handles the decrypted event (by its `Event`); every event when absent. */
  accepts?(fields: Record<string, string>): boolean;
  /** The decrypted event's fields; a throw answers 500 and WeCom delivers the callback again. */
  onEvent(fields: Record<string, string>): Promise<void>;
}

/** The `Event` of every 客户联系 callback (add/delete of an external contact, …). */
export const CONTACT_CHANGE_EVENT = 'change_external_contact';

/** What 微信客服 expects as the answer to a callback it may otherwise repeat. */
const ACKNOWLEDGED = 'success';

export class WecomCallbackEndpoint implements SignedWebhookEndpoint {
  readonly maxBodyBytes = MAX_CALLBACK_BYTES;
  private readonly receivers: CallbackReceiver[] = [];

  constructor(readonly path: string) {}

  /** Adds a receiver (the 微信客服 channel, 客户联系); call before the server starts. */
  add(receiver: CallbackReceiver): void {
    this.receivers.push(receiver);
  }

  async verify(query: Record<string, string>): Promise<string> {
    return this.first((receiver) => verifyUrl(receiver.crypto, query)).result;
  }

  async receive(query: Record<string, string>, body: string): Promise<string> {
    let verified = false;
    for (const receiver of this.receivers) {
      let fields: Record<string, string>;
      try {
        fields = openCallback(receiver.crypto, query, body);
      } catch (error) {
        if (!(error instanceof CallbackRejected)) throw error;
        continue;
      }
      verified = true;
      if (receiver.accepts && !receiver.accepts(fields)) continue;
      await receiver.onEvent(fields);
      return ACKNOWLEDGED;
    }
    if (!verified) throw new UnauthorizedError('callback signature does not verify');
    return ACKNOWLEDGED;
  }

  private first<T>(open: (receiver: CallbackReceiver) => T): { receiver: CallbackReceiver; result: T } {
    for (const receiver of this.receivers) {
      try {
        return { receiver, result: open(receiver) };
      } catch (error) {
        if (!(error instanceof CallbackRejected)) throw error;
      }
    }
    // One answer for every reason (no signature, a wrong one, garbage): nothing to learn from it.
    throw new UnauthorizedError('callback signature does not verify');
  }
}
