// 客户联系 wiring: the API client on the contact secret, connected to the contact service, and the
// callback receiver for the WeCom callback path. Called by the composition root when
// WECOM_CONTACT_SECRET is set.

import type { ContactEvent } from '../../../src/domain/wecom-contacts.ts';
import type { Clock } from '../../../src/kernel/clock.ts';
import { WecomClient } from '../client.ts';
import { ContactApi } from './api.ts';
import { ContactCallbackReceiver } from './callback.ts';

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
): { api: ContactApi; receiver: ContactCallbackReceiver } {
  const api = new ContactApi(
    new WecomClient({ apiRoot: wecom.apiRoot, corpId: wecom.corpId, secret: settings.secret, clock }),
  );
  service.connect(api);
  const receiver = new ContactCallbackReceiver({ ...settings.callback, corpId: wecom.corpId }, (event) =>
    service.onEvent(event),
  );
  return { api, receiver };
}
