// `guanxi <command>` (npm run guanxi -- <command>): operations that do not need the server running.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { type App, createApp } from './app.ts';
import { type Config, loadStartupConfig } from './config.ts';
import { migrate } from './db/migrate.ts';
import { seedDemo } from './demo/seed.ts';
import { DomainError } from './domain/errors.ts';
import { ImportKind } from './domain/imports.ts';
import { Button } from './domain/messages.ts';
import { StaffRole } from './domain/staff.ts';
import { StaffInput } from './domain/staff-input.ts';

/** Reads a password: typed without echo at a terminal (twice), else the first line of stdin (scripts, tests). */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trim();
  }
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = async (prompt: string) => {
    process.stdout.write(prompt);
    muted = true;
    const answer = await rl.question('');
    muted = false;
    process.stdout.write('\n');
    return answer;
  };
  try {
    const first = await ask('Password (8+ characters): ');
    const again = await ask('Repeat the password: ');
    if (first !== again) throw new Error('the passwords differ');
    return first;
  } finally {
    rl.close();
  }
}

type Command = { summary: string; run: (args: string[], config: Config) => Promise<number> };

/** Runs `work` with the app built from `config` (logging warnings only), and stops the app afterwards. */
async function withApp<T>(config: Config, work: (app: App) => Promise<T>): Promise<T> {
  // Commands never mint the first-run ADMIN_TOKEN: only a running server prints it.
  const app = await createApp({ config: { ...config, log: { level: 'warn' } }, generateAdminToken: false });
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
  staff: {
    summary: 'staff add <username> --role admin|agent [--name <name>]: a console account (asks for its password)',
    async run(args, config) {
      const [verb, username] = args;
      const option = (name: string) => {
        const at = args.indexOf(name);
        return at >= 0 ? args[at + 1] : undefined;
      };
      const role = StaffRole.safeParse(option('--role') ?? 'agent');
      if (verb !== 'add' || !username || !role.success) {
        console.error('usage: guanxi staff add <username> --role admin|agent [--name <name>]');
        return 2;
      }
      const password = await readPassword();
      const input = StaffInput.safeParse({ username, name: option('--name') ?? username, role: role.data, password });
      if (!input.success) {
        console.error(input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'));
        return 2;
      }
      return withApp(config, async (app) => {
        if (await app.store.repos.staff.byUsername(username)) {
          console.error(`a staff account named ${username} already exists`);
          return 1;
        }
        const staff = await app.services.staff.create(input.data, { type: 'system' });
        console.log(`created ${staff.role} ${staff.username}: sign in at /console/ with this username and password`);
        return 0;
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
