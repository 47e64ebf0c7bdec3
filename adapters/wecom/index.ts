// WeCom 企业微信: the 微信客服 channel (and, beside it, 客户联系) on one callback URL. main.ts calls
// this when WECOM_CORP_ID and WECOM_KF_SECRET are set; the callback is served on the main HTTP server
// at WECOM_CALLBACK_PATH (mount it before the server listens).
import type { ChannelDeps } from '../deps.ts';
import { WecomChannel, type WecomKfConfig } from './channel.ts';
import { WecomCallbackEndpoint } from './endpoint.ts';

export { WecomChannel } from './channel.ts';
export { WecomCallbackEndpoint } from './endpoint.ts';

/** The WeCom settings (WECOM_* in src/config.ts) this folder needs. */
export interface WecomConfig {
  corpId: string;
  apiRoot: string;
  callbackPath: string;
  kf: WecomKfConfig['kf'] | undefined;
}

export interface Wecom {
  /** The 微信客服 channel, when WECOM_KF_SECRET is set. */
  channel: WecomChannel | undefined;
  /** The callback URL; other WeCom receivers (客户联系) add themselves before `mount`. */
  endpoint: WecomCallbackEndpoint;
  /** Serves the callback on the main HTTP server. */
  mount(): void;
}

export function createWecom(config: WecomConfig, deps: ChannelDeps): Wecom {
  const endpoint = new WecomCallbackEndpoint(config.callbackPath);
  const { kf } = config;
  const channel = kf
    ? new WecomChannel({ config: { corpId: config.corpId, apiRoot: config.apiRoot, kf }, endpoint, deps })
    : undefined;
  return { channel, endpoint, mount: () => deps.webhooks.mountSigned(endpoint) };
}
