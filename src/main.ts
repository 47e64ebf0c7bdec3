// `npm start`: migrate, seed the demo shop on first start, start every configured channel, serve HTTP.
import { createTelegramChannel } from '../adapters/telegram/index.ts';
import { TelegramStaffGroup } from '../adapters/telegram/staff-group.ts';
import { createWechatChannel } from '../adapters/wechat/index.ts';
import { createApp } from './app.ts';
import { loadStartupConfig } from './config.ts';
import { demoStaff, isShopEmpty, seedDemo, seedDemoStaff } from './demo/seed.ts';

/** Advisory lock id for demo seeding (migrations use their own, in db/migrate.ts). */
const DEMO_SEED_LOCK = 4826395;

async function main(): Promise<void> {
  const startup = loadStartupConfig();
  if (!startup.ok) {
    console.error(startup.message);
    process.exit(1);
  }
  const { config } = startup;
  const app = await createApp({ config });
  const { log } = app;
  // Instances starting together on one empty database: one seeds, the others then find it seeded.
  await app.store.exclusively(DEMO_SEED_LOCK, async () => {
    if (!config.shop.seedDemo || !(await isShopEmpty(app.store))) return;
    const seeded = await seedDemo(app.services, app.clock);
    log.info(seeded, 'demo shop seeded (SEED_DEMO=false starts with an empty shop)');
    if ((await seedDemoStaff(app.services)) > 0) {
      const accounts = demoStaff.map((s) => `${s.username}/${s.password} (${s.role})`).join(', ');
      console.log(`\nDemo console accounts: ${accounts}. Change or deactivate them before going live.\n`);
    }
  });
  if (config.telegram) {
    const staffChatId = config.telegram.staffChatId;
    const telegram = await createTelegramChannel(config.telegram, app.ports.adapter, {
      host: config.http.host,
      // The staff group goes first so staff messages never reach the customer pipeline.
      ...(staffChatId
        ? {
            before: (bot) => {
              new TelegramStaffGroup({ bot, chatId: staffChatId, desk: app.ports.telegramStaff }).attach();
              log.info({ chatId: staffChatId }, 'telegram staff group relay on');
            },
          }
        : {}),
    });
    telegram.mount();
    await app.addChannel(telegram.channel);
    log.info(
      { bot: telegram.channel.me.username, mode: config.telegram.webhook ? 'webhook' : 'polling' },
      'telegram configured',
    );
  }
  if (config.wechat) {
    await app.addChannel(createWechatChannel(config.wechat, app.ports.adapter));
    log.info({ puppet: config.wechat.puppet }, 'wechat configured (scan the QR code below to log in)');
  }
  await app.start();
  const address = await app.http.listen({ port: config.http.port, host: config.http.host });
  log.info({ channels: [...app.channels.keys()], database: config.database.provider }, 'channels running');
  const local = `http://localhost:${config.http.port}`;
  console.log(`\nGuanxi is running: ${address}\n  webchat  ${local}/\n  console  ${local}/console/\n`);
  if (!config.http.adminToken) {
    console.log(
      `ADMIN_TOKEN was not set; this run uses: ${app.adminToken}\n(set ADMIN_TOKEN in .env to keep it stable)\n`,
    );
  }
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
