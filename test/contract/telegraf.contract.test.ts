import { channelContract } from './channel-contract.ts';
import { telegramHarness } from './telegram-harness.ts';

channelContract('telegram (Telegraf middleware)', { groups: true, attachments: true }, (provider) =>
  telegramHarness(provider, 'telegraf'),
);
