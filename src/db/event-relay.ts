// Live events across instances on PostgreSQL: every instance LISTENs on one channel and NOTIFYs the
// events it raises (after commit), so a console or webchat stream connected to instance B hears a
// message handled by instance A. No extra service: the database already connects them. Events
// raised within FLUSH_MS go out together: packed into as few notifications as fit (each carries a
// list of events), in one statement (pg_notify over an array); an instance ignores its own. Under
// load that is a few notifications per 10 ms instead of one per turn: each notification costs every
// listening backend a wake-up and a commit on the shared notification queue.
// SQLite runs one instance: it needs no relay.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type DomainEvents, type EventBus, type EventName, type EventRelay, eventNames } from '../kernel/events.ts';
import type { Logger } from '../kernel/logger.ts';

const CHANNEL = 'guanxi_events';
/** NOTIFY payloads must stay under 8000 bytes; larger events (long desk texts) go without their text. */
const MAX_PAYLOAD = 7900;
const RECONNECT_MS = 1000;
/** How long an event may wait for others to share its notification. */
const FLUSH_MS = 10;

interface Envelope {
  origin: string;
  name: EventName;
  payload: unknown;
}

/** One notification: the events one instance raised within FLUSH_MS, in order. */
interface Packet {
  origin: string;
  events: Array<{ name: EventName; payload: unknown }>;
}

function isEvent(value: unknown): value is { name: EventName; payload: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  if (!('name' in value) || !('payload' in value)) return false;
  return eventNames.some((name) => name === value.name);
}

function isEnvelope(value: unknown): value is Envelope {
  return isEvent(value) && 'origin' in value && typeof value.origin === 'string';
}

function isPacket(value: unknown): value is Packet {
  if (typeof value !== 'object' || value === null) return false;
  if (!('origin' in value) || !('events' in value)) return false;
  return typeof value.origin === 'string' && Array.isArray(value.events);
}

/** Packs serialized events (each under MAX_PAYLOAD) into as few packets as fit under MAX_PAYLOAD. */
function pack(origin: string, events: string[]): string[] {
  const head = `{"origin":${JSON.stringify(origin)},"events":[`;
  const packets: string[] = [];
  let body: string[] = [];
  let size = head.length + 2;
  for (const event of events) {
    const added = Buffer.byteLength(event) + (body.length > 0 ? 1 : 0);
    if (body.length > 0 && size + added > MAX_PAYLOAD) {
      packets.push(`${head}${body.join(',')}]}`);
      body = [];
      size = head.length + 2;
    }
    body.push(event);
    size += Buffer.byteLength(event) + (body.length > 1 ? 1 : 0);
  }
  if (body.length > 0) packets.push(`${head}${body.join(',')}]}`);
  return packets;
}

export class PgEventRelay implements EventRelay {
  private readonly origin = randomUUID();
  /** How this instance's packets begin (see pack). */
  private readonly ownPrefix = `{"origin":${JSON.stringify(this.origin)},`;
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
    // The packet's head (origin) takes about 70 bytes of the notification.
    const room = MAX_PAYLOAD - 100;
    let text = JSON.stringify({ name, payload });
    if (Buffer.byteLength(text) > room) text = JSON.stringify({ name, payload: { ...payload, text: undefined } });
    if (Buffer.byteLength(text) > room) return;
    this.pending.push(text);
    this.flushing ??= new Promise<void>((resolve) => setTimeout(resolve, FLUSH_MS)).then(() => this.flush());
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
        // Prepared: sent several times a second under load, and parsing and planning it cost more
        // than running it.
        await this.client.query({
          name: 'relay.notify',
          text: 'SELECT pg_notify($1, m) FROM unnest($2::text[]) AS m',
          values: [CHANNEL, pack(this.origin, batch)],
        });
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
    // Every listener hears every notification, its own too: skip those before parsing them.
    if (!payload || payload.startsWith(this.ownPrefix)) return;
    let envelope: unknown;
    try {
      envelope = JSON.parse(payload);
    } catch {
      return;
    }
    // A packet of events; a single envelope is what an instance of an earlier version sends.
    if (isPacket(envelope) && envelope.origin !== this.origin) {
      for (const event of envelope.events) if (isEvent(event)) this.bus.receiveRemote(event.name, event.payload);
    } else if (isEnvelope(envelope) && envelope.origin !== this.origin) {
      this.bus.receiveRemote(envelope.name, envelope.payload);
    }
  }
}
