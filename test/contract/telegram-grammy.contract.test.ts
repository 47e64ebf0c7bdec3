import { channelContract } from './channel-contract.ts';
import { telegramHarness } from './telegram-harness.ts';

channelContract('telegram (grammY, webhook)', { groups: true, attachments: true }, (provider) =>
  telegramHarness(provider, 'grammy'),
);
