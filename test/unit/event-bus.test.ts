// The event bus's local/remote split: events raised here reach every local listener and then the
// relay; events from another instance reach only listeners that asked for remote events.
import { expect, it } from 'vitest';
import { type DomainEvents, EventBus, type EventName } from '../../src/kernel/events.ts';

const conversation = { id: 7, status: 'open' as const, assigneeId: null };

it('an event raised here reaches every local listener, then the relay', () => {
  const bus = new EventBus();
  const heard: string[] = [];
  const published: Array<[EventName, DomainEvents[EventName]]> = [];
  bus.on('conversation', () => heard.push('plain'));
  bus.on('conversation', () => heard.push('live'), { remote: true });
  bus.attachRelay({ publish: (name, payload) => published.push([name, payload]) });
  bus.emit('conversation', conversation);
  expect(heard).toEqual(['plain', 'live']);
  expect(published).toEqual([['conversation', conversation]]);
});

it("another instance's event reaches only listeners registered for remote events, and is not relayed again", () => {
  const bus = new EventBus();
  const heard: string[] = [];
  const published: EventName[] = [];
  bus.on('conversation', () => heard.push('side effect'));
  const off = bus.on('conversation', () => heard.push('live view'), { remote: true });
  bus.attachRelay({ publish: (name) => published.push(name) });
  bus.receiveRemote('conversation', conversation);
  expect(heard).toEqual(['live view']);
  expect(published).toEqual([]);
  off();
  bus.receiveRemote('conversation', conversation);
  expect(heard).toEqual(['live view']);
});
