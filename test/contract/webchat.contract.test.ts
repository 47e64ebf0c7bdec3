// The webchat channel against the shared contract. Webchat has no groups and no attachments. Text
// messages go through the widget's HTTP route (which binds the visitor's secret); a staff photo is
// read back the way the widget reads it, with that secret.
import { randomUUID } from 'node:crypto';
import { Button, MAX_TEXT_LENGTH } from '../../src/domain/messages.ts';
import { OutboxMeta } from '../../src/domain/outbox.ts';
import { createTestApp, visitorHeaders } from '../helpers/app.ts';
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
    // The route refuses an empty or over-long text (400); the adapter still takes them from the CLI chat.
    const deliver = async () => {
      if (body.action || !body.text || body.text.length > MAX_TEXT_LENGTH)
        await app.webchat.receive({ ...body, messageId }, clock.now());
      else if ((await test.say(body.visitorId, body.text, { messageId })).status !== 200)
        throw new Error('webchat message refused');
    };
    await deliver();
    return { replay: deliver };
  };
  /** The photo on a delivered row, as the visitor's widget reads it (GET …/attachments/:id with the secret). */
  const photoOf = async (visitorId: string, meta: unknown) => {
    const parsed = OutboxMeta.safeParse(meta);
    const image = parsed.success ? parsed.data.image : undefined;
    if (!image) return {};
    const response = await app.http.inject({
      method: 'GET',
      url: `/api/webchat/${visitorId}/attachments/${image.id}`,
      headers: visitorHeaders(visitorId),
    });
    if (response.statusCode !== 200) throw new Error(`visitor photo read: ${response.statusCode}`);
    return { photo: response.rawPayload };
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
        const out: Outgoing = {
          chatId: row.chatExternalId,
          text: row.text,
          buttons: list.map((b) => b.label),
          ...(await photoOf(row.chatExternalId, row.meta)),
        };
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
