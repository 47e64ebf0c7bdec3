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
    if ((await seedDemoStaff(app.services, config.env)) > 0) {
      const accounts = demoStaff.map((s) => `${s.username}/${s.password} (${s.role})`).join(', ');
      const rule = '!'.repeat(72);
      console.warn(
        `\n${rule}\nDEMO CONSOLE ACCOUNTS WITH KNOWN PASSWORDS were created: ${accounts}.\n` +
          `Anyone who can reach this server can sign in with them. Deactivate them before going live;\n` +
          `with NODE_ENV=production they are never created.\n${rule}\n`,
      );
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
  if (config.wecom && app.wecom) {
    // Mounted and registered by createApp (one callback path for 微信客服 and 客户联系).
    log.info(
      {
        callbackPath: config.wecom.callbackPath,
        kf: Boolean(app.wecom.channel),
        contacts: Boolean(config.wecom.contact),
      },
      'wecom configured',
    );
  }
  await app.start();
  const address = await app.http.listen({ port: config.http.port, host: config.http.host });
  log.info({ channels: [...app.channels.keys()], database: config.database.provider }, 'channels running');
  const local = `http://localhost:${config.http.port}`;
  console.log(`\nGuanxi is running: ${address}\n  webchat  ${local}/\n  console  ${local}/console/\n`);
  // Printed to the terminal once, on the run that generated it, never through the logger; later runs
  // keep accepting it (its hash is in the database).
  if (app.adminTokenGenerated && app.adminToken) {
    console.log(
      `ADMIN_TOKEN was not set, so one was generated (shown this once, keep it safe):\n\n  ${app.adminToken}\n\n` +
        `Sign in to the console with it, or set ADMIN_TOKEN in .env to choose your own.\n` +
        `Staff accounts: npm run guanxi -- staff add <username> --role admin\n`,
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
