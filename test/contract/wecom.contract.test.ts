import { channelContract } from './channel-contract.ts';
import { wecomHarness } from './wecom-harness.ts';

// 微信客服 has no group chats: the group cases do not apply.
channelContract('wecom (微信客服, fake WeCom server)', { groups: false, attachments: true }, (provider) =>
  wecomHarness(provider),
);
