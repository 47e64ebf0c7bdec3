// 客户联系 wiring: the API client on the contact secret, connected to the contact service, and the
// callback receiver for the WeCom callback path. Called by the composition root when
// WECOM_CONTACT_SECRET is set.

import type { ContactEvent } from '../../../src/domain/wecom-contacts.ts';
import type { Clock } from '../../../src/kernel/clock.ts';
import { WecomClient } from '../client.ts';
import { WecomCrypto } from '../crypto.ts';
import { type CallbackReceiver, CONTACT_CHANGE_EVENT } from '../endpoint.ts';
import { ContactApi } from './api.ts';
import { contactEventOf } from './callback.ts';

export interface ContactSettings {
  secret: string;
  callback: { token: string; encodingAesKey: string };
}

/** The contact service as seen from here: it takes the API and receives the events. */
export interface ContactEventSink {
  connect(api: ContactApi): void;
  onEvent(event: ContactEvent): Promise<void>;
}

export function connectWecomContacts(
  wecom: { corpId: string; apiRoot: string },
  settings: ContactSettings,
  service: ContactEventSink,
  clock: Clock,
): { api: ContactApi; receiver: CallbackReceiver } {
  const api = new ContactApi(
    new WecomClient({ apiRoot: wecom.apiRoot, corpId: wecom.corpId, secret: settings.secret, clock }),
  );
  service.connect(api);
  // On the one WeCom callback path (adapters/wecom/endpoint.ts), beside 微信客服's receiver.
  const receiver: CallbackReceiver = {
    crypto: new WecomCrypto({ ...settings.callback, receiveId: wecom.corpId }),
    accepts: (fields) => fields.Event === CONTACT_CHANGE_EVENT,
    onEvent: async (fields) => {
      const event = contactEventOf(fields);
      if (event) await service.onEvent(event);
    },
  };
  return { api, receiver };
}
