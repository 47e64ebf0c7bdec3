import { channelContract } from './channel-contract.ts';
import { wechatHarness } from './wechat-harness.ts';

channelContract('wechat (Wechaty, mock puppet)', { groups: true, attachments: true }, (provider) =>
  wechatHarness(provider),
);
