// Live events across instances on PostgreSQL: every instance LISTENs on one channel and NOTIFYs the
// events it raises (after commit), so a console or webchat stream connected to instance B hears a
// message handled by instance A. No extra service: the database already connects them. Events
// raised in one turn go out as one statement (pg_notify over an array); an instance ignores its own.
// SQLite runs one instance: it needs no relay.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type DomainEvents, type EventBus, type EventName, type EventRelay, eventNames } from '../kernel/events.ts';
import type { Logger } from '../kernel/logger.ts';

const CHANNEL = 'guanxi_events';
/** NOTIFY payloads must stay under 8000 bytes; larger events (long desk texts) go without their text. */
const MAX_PAYLOAD = 7900;
const RECONNECT_MS = 1000;

interface Envelope {
  origin: string;
  name: EventName;
  payload: unknown;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  if (!('origin' in value) || !('name' in value) || !('payload' in value)) return false;
  return typeof value.origin === 'string' && eventNames.some((name) => name === value.name);
}

export class PgEventRelay implements EventRelay {
  private readonly origin = randomUUID();
  private client: pg.Client | undefined;
  private pending: string[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly url: string,
    private readonly bus: EventBus,
    private readonly log: Logger,
  ) {}

  /** Connects, listens, and attaches itself to `bus`. */
  static async open(url: string, bus: EventBus, log: Logger): Promise<PgEventRelay> {
    const relay = new PgEventRelay(url, bus, log);
    await relay.connect();
    bus.attachRelay(relay);
    return relay;
  }

  publish(name: EventName, payload: DomainEvents[EventName]): void {
    // No live view listens to `outbox` (each instance's sender wakes on its own rows and claims the rest).
    if (name === 'outbox') return;
    let text = JSON.stringify({ origin: this.origin, name, payload });
    if (Buffer.byteLength(text) > MAX_PAYLOAD)
      text = JSON.stringify({ origin: this.origin, name, payload: { ...payload, text: undefined } });
    if (Buffer.byteLength(text) > MAX_PAYLOAD) return;
    this.pending.push(text);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  /** Waits for queued notifications to be sent (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    await this.settle();
    this.closed = true;
    await this.client?.end().catch(() => {});
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      if (batch.length > 0 && this.client) {
        await this.client.query('SELECT pg_notify($1, m) FROM unnest($2::text[]) AS m', [CHANNEL, batch]);
      }
    } catch (error) {
      // A lost notification costs a live view one refresh, never data: log and go on.
      this.log.warn({ err: error, events: batch.length }, 'event relay: notify failed');
    } finally {
      this.flushing = undefined;
      if (this.pending.length > 0) this.flushing = this.flush();
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => this.receive(message.payload));
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'event relay: connection lost, reconnecting');
      void client.end().catch(() => {});
      this.reconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  private reconnect(): void {
    this.client = undefined;
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed) return;
      this.connect().catch(() => this.reconnect());
    }, RECONNECT_MS).unref();
  }

  private receive(payload: string | undefined): void {
    if (!payload) return;
    let envelope: unknown;
    try {
      envelope = JSON.parse(payload);
    } catch {
      return;
    }
    if (!isEnvelope(envelope) || envelope.origin === this.origin) return;
    this.bus.receiveRemote(envelope.name, envelope.payload);
  }
}
