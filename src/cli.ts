// `guanxi <command>` (npm run guanxi -- <command>): operations that do not need the server running.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { type App, createApp } from './app.ts';
import { type Config, loadStartupConfig } from './config.ts';
import { migrate } from './db/migrate.ts';
import { seedDemo } from './demo/seed.ts';
import { DomainError } from './domain/errors.ts';
import { ImportKind } from './domain/imports.ts';
import { Button } from './domain/messages.ts';

type Command = { summary: string; run: (args: string[], config: Config) => Promise<number> };

/** Runs `work` with the app built from `config` (logging warnings only), and stops the app afterwards. */
async function withApp<T>(config: Config, work: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp({ config: { ...config, log: { level: 'warn' } } });
  try {
    return await work(app);
  } finally {
    await app.stop();
  }
}

export const commands: Record<string, Command> = {
  migrate: {
    summary: 'apply pending database migrations',
    async run(_args, config) {
      const applied = await migrate(config.database);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      return 0;
    },
  },
  seed: {
    summary: 'load (or refresh) the demo shop: products, FAQs, customers, orders',
    async run(_args, config) {
      await withApp(config, async (app) => console.log('seeded', await seedDemo(app.services, app.clock)));
      return 0;
    },
  },
  verify: {
    summary: 'check every cached points balance against the ledger; exits 1 on any mismatch',
    run: (_args, config) =>
      withApp(config, async (app) => {
        const mismatches = await app.services.loyalty.verify();
        for (const m of mismatches) {
          console.error(`customer ${m.customerId}: cached ${m.cached} != ledger ${m.ledger}`);
        }
        console.log(mismatches.length ? `${mismatches.length} mismatch(es)` : 'points balances match the ledger');
        return mismatches.length ? 1 : 0;
      }),
  },
  import: {
    summary: 'import products|faqs|orders from a CSV file (docs/commerce.md); --dry-run checks without writing',
    async run(args, config) {
      const dryRun = args.includes('--dry-run');
      const [kind, file] = args.filter((a) => a !== '--dry-run');
      const parsedKind = ImportKind.safeParse(kind);
      if (!parsedKind.success || !file) {
        console.error('usage: guanxi import products|faqs|orders <file.csv> [--dry-run]');
        return 2;
      }
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        const reason =
          error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error);
        console.error(`cannot read ${file}: ${reason}`);
        return 2;
      }
      return withApp(config, async (app) => {
        try {
          const imports = app.services.imports;
          const report = dryRun
            ? await imports.preview(parsedKind.data, bytes)
            : await imports.apply(parsedKind.data, bytes, { type: 'admin' });
          const done = dryRun ? `would import ${report.valid}` : `imported ${report.imported}`;
          console.log(`${done} ${parsedKind.data} (file read as ${report.encoding}); rejected ${report.failed.length}`);
          if (report.ignoredColumns.length) console.log(`  ignored columns: ${report.ignoredColumns.join(', ')}`);
          for (const failure of report.failed) {
            const where = failure.column ? ` column ${failure.column}` : '';
            console.log(`  row ${failure.rows.join(',')}${where} [${failure.key}]: ${failure.error}`);
          }
          return report.failed.length > 0 ? 1 : 0;
        } catch (error) {
          if (error instanceof DomainError) {
            console.error(`cannot import ${file}: ${error.message}`);
            return 2;
          }
          throw error;
        }
      });
    },
  },
  chat: {
    summary: 'talk to the bot in this terminal (webchat channel); --visitor <id> to resume as someone',
    async run(args, config) {
      const visitorAt = args.indexOf('--visitor');
      const visitorId = (visitorAt >= 0 ? args[visitorAt + 1] : undefined) ?? `cli-${process.pid}`;
      return withApp(config, async (app) => {
        await app.start();
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        let buttons: Button[] = [];
        console.log(`Chatting as ${visitorId}. Type a message, a number to press a button, or /quit.`);
        try {
          for (;;) {
            const line = (await rl.question('> ')).trim();
            if (line === '/quit' || line === '/exit') break;
            if (!line) continue;
            const pressed = /^\d+$/.test(line) ? buttons[Number(line) - 1] : undefined;
            const { result } = await app.webchat.receive(
              pressed ? { visitorId, text: pressed.label, action: pressed.data } : { visitorId, text: line },
              app.clock.now(),
            );
            await app.sender.drainChannel('webchat');
            buttons = [];
            for (const id of result.outboxIds) {
              const row = await app.store.repos.outbox.get(id);
              if (!row) continue;
              console.log(`\n${row.text}`);
              const parsed = Button.array().safeParse(row.buttons);
              for (const button of parsed.success ? parsed.data : []) {
                buttons.push(button);
                console.log(`  [${buttons.length}] ${button.label}`);
              }
            }
            if (result.conversation && result.conversation.status !== 'bot') {
              console.log(`(conversation is ${result.conversation.status}: staff will reply)`);
            }
            console.log('');
          }
        } finally {
          rl.close();
        }
        return 0;
      });
    },
  },
};

async function run(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.log('usage: guanxi <command>\n');
    for (const [key, value] of Object.entries(commands)) console.log(`  ${key.padEnd(16)} ${value.summary}`);
    return name ? 2 : 0;
  }
  const startup = loadStartupConfig();
  if (!startup.ok) {
    console.error(startup.message);
    return 1;
  }
  return command.run(args, startup.config);
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
