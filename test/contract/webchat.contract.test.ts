// The webchat channel against the shared contract. Webchat has no groups and no attachments.
import { randomUUID } from 'node:crypto';
import { Button } from '../../src/domain/messages.ts';
import { createTestApp } from '../helpers/app.ts';
import { channelContract, type Outgoing } from './channel-contract.ts';

channelContract('webchat', { groups: false, attachments: false }, async (provider) => {
  const test = await createTestApp({ provider });
  const { app, clock } = test;
  const delivered: number[] = [];
  const unsubscribe = app.events.on('delivered', (event) => {
    if (event.channel === 'webchat' && event.status === 'sent') delivered.push(event.id);
  });
  const received: Array<Outgoing & { data: string[] }> = [];
  const visitor = (user: number) => `visitor-${user}`;
  const send = async (body: { visitorId: string; text: string; action?: string }) => {
    const messageId = randomUUID();
    await app.webchat.receive({ ...body, messageId }, clock.now());
    return { replay: async () => void (await app.webchat.receive({ ...body, messageId }, clock.now())) };
  };
  return {
    app,
    channel: 'webchat',
    message: ({ user, text }) => send({ visitorId: visitor(user), text }),
    attachment: () => Promise.reject(new Error('webchat carries no attachments')),
    press: ({ user, label }) => {
      const message = [...received]
        .reverse()
        .find((m) => m.chatId === visitor(user) && m.buttons.some((b) => b.includes(label)));
      const index = message?.buttons.findIndex((b) => b.includes(label)) ?? -1;
      const data = message?.data[index];
      if (!message || !data) throw new Error(`no button "${label}" for ${visitor(user)}`);
      return send({ visitorId: visitor(user), text: message.buttons[index] ?? label, action: data });
    },
    async flush() {
      await app.sender.drainChannel('webchat');
      const fresh: Outgoing[] = [];
      for (const id of delivered.splice(0)) {
        const row = await app.store.repos.outbox.get(id);
        if (!row) continue;
        const buttons = Button.array().safeParse(row.buttons);
        const list = buttons.success ? buttons.data : [];
        const out = { chatId: row.chatExternalId, text: row.text, buttons: list.map((b) => b.label) };
        received.push({ ...out, data: list.map((b) => b.data) });
        fresh.push(out);
      }
      return fresh;
    },
    privateChatId: visitor,
    groupChatId: () => {
      throw new Error('webchat has no groups');
    },
    senderId: visitor,
    async close() {
      unsubscribe();
      await test.close();
    },
  };
});
