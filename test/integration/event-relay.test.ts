// Live events between instances on PostgreSQL (src/db/event-relay.ts): what one instance raises
// reaches the listeners of another, in order, even when a burst is packed into several notifications
// (each under PostgreSQL's 8000-byte limit); an instance never hears its own events back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgEventRelay } from '../../src/db/event-relay.ts';
import { type DomainEvents, EventBus } from '../../src/kernel/events.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../helpers/databases.ts';

describe.skipIf(!(await postgresAvailable()))('event relay [postgresql]', () => {
  let db: TestDatabase;
  const relays: PgEventRelay[] = [];
  beforeEach(async () => {
    db = await createTestDatabase('postgresql');
  });
  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.close();
    await db.drop();
  });

  async function instance() {
    const bus = new EventBus();
    const relay = await PgEventRelay.open(db.database.url, bus, createLogger('silent'));
    relays.push(relay);
    const heard: Array<DomainEvents['desk']> = [];
    bus.on('desk', (event) => heard.push(event), { remote: true });
    return { bus, relay, heard };
  }

  it('a burst of 300 events (about 60 kB) reaches the other instance whole and in order, and not its own', async () => {
    const a = await instance();
    const b = await instance();
    const sent = Array.from({ length: 300 }, (_, i) => ({
      type: 'reply',
      conversationId: i,
      text: `回复 ${i} ${'x'.repeat(150)}`,
    }));
    for (const event of sent) a.bus.emit('desk', event);
    await a.relay.settle();
    await expect.poll(() => b.heard.length, { timeout: 10_000 }).toBe(300);
    expect(b.heard).toEqual(sent);
    // A heard its own events once each (locally), never again through the database.
    expect(a.heard).toHaveLength(300);
  });

  it('an event too large for one notification goes without its text', async () => {
    const a = await instance();
    const b = await instance();
    a.bus.emit('desk', { type: 'reply', conversationId: 1, text: 'y'.repeat(9000) });
    await a.relay.settle();
    await expect.poll(() => b.heard.length, { timeout: 10_000 }).toBe(1);
    expect(b.heard[0]).toEqual({ type: 'reply', conversationId: 1 });
  });
});
