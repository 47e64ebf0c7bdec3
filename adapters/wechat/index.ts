// WeChat through Wechaty 1.x. The puppet (the protocol implementation that actually talks to WeChat)
// comes from WECHATY_PUPPET; puppet services also take WECHATY_PUPPET_SERVICE_TOKEN / _ENDPOINT.
// On start, the login QR code is drawn in the terminal (and logged as a link) for the shop owner to scan.
import qrcodeTerminal from 'qrcode-terminal';
import { type OfficialPuppetNpmName, qrcodeValueToImageUrl, types, WechatyBuilder } from 'wechaty';
import type { ChannelDeps } from '../deps.ts';
import { WechatChannel, type WechatPacingConfig, wechatPacing } from './channel.ts';

export { WechatChannel, wechatPacing } from './channel.ts';
export { stableKey } from './identity.ts';

/** The WeChat settings (WECHATY_* and WECHAT_* in src/config.ts) the channel needs. */
export interface WechatConfig {
  puppet: string;
  puppetToken?: string | undefined;
  puppetEndpoint?: string | undefined;
  autoAcceptFriends: boolean;
  pacing: WechatPacingConfig;
}

/** A puppet instance (tests pass wechaty-puppet-mock); otherwise the puppet named in config is loaded. */
export type PuppetInstance = NonNullable<
  Extract<Parameters<typeof WechatyBuilder.build>[0], { puppet?: unknown }>['puppet']
>;

const puppetNames = [
  'wechaty-puppet-service',
  'wechaty-puppet-mock',
  'wechaty-puppet-wechat',
  'wechaty-puppet-wechat4u',
  'wechaty-puppet-padlocal',
  'wechaty-puppet-xp',
  '@juzibot/wechaty-puppet-wxwork',
] as const satisfies readonly OfficialPuppetNpmName[];

function isPuppetName(name: string): name is (typeof puppetNames)[number] {
  return puppetNames.some((known) => known === name);
}

export function createWechatChannel(
  config: WechatConfig,
  deps: ChannelDeps,
  options: { puppet?: PuppetInstance; name?: string } = {},
): WechatChannel {
  let bot: ReturnType<typeof WechatyBuilder.build>;
  if (options.puppet) {
    bot = WechatyBuilder.build({ puppet: options.puppet });
  } else {
    if (!isPuppetName(config.puppet)) {
      throw new Error(`WECHATY_PUPPET=${config.puppet} is not supported; use one of: ${puppetNames.join(', ')}`);
    }
    bot = WechatyBuilder.build({
      // The name keeps the login session in <name>.memory-card.json, so a restart needs no new scan.
      name: options.name ?? 'guanxi-wechat',
      puppet: config.puppet,
      puppetOptions: {
        ...(config.puppetToken ? { token: config.puppetToken } : {}),
        ...(config.puppetEndpoint ? { endpoint: config.puppetEndpoint } : {}),
      },
    });
  }
  bot.on('scan', (qrcode: string, status: types.ScanStatus) => {
    if (status !== types.ScanStatus.Waiting && status !== types.ScanStatus.Timeout) return;
    deps.log.info({ qrcode }, 'wechat login: scan this QR code with the shop WeChat account');
    qrcodeTerminal.generate(qrcode, { small: true }, (drawing) => {
      console.log(
        `\nWeChat login: scan this QR code with the shop's WeChat\n${drawing}\nor open it as an image: ${qrcodeValueToImageUrl(qrcode)}\n`,
      );
    });
  });
  bot.on('login', (user) => deps.log.info({ user: user.name() }, 'wechat logged in'));
  bot.on('logout', (user) => deps.log.warn({ user: user.name() }, 'wechat logged out: replies wait in the outbox'));
  bot.on('error', (error) => deps.log.error({ err: error }, 'wechat error'));
  return new WechatChannel({
    bot,
    pacing: wechatPacing(config.pacing),
    autoAcceptFriends: config.autoAcceptFriends,
    deps,
  });
}
