// Photos sent to the Telegram bot (after-sale evidence) are downloaded through the Bot API and stored
// like webchat uploads: logged on the interaction by id, readable by staff. Against the fake Bot API.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type TelegramHarness, telegramHarness, userOf } from '../contract/telegram-harness.ts';
import { ADMIN_TOKEN } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

for (const variant of ['grammy', 'telegraf'] as const) {
  describeEachProvider(`telegram photos (${variant})`, (provider) => {
    let h: TelegramHarness;
    let dataDir: string;
    beforeEach(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'guanxi-tg-photos-'));
      h = await telegramHarness(provider, variant, { DATA_DIR: dataDir });
    });
    afterEach(async () => {
      await h.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    async function inboundWith(text: string) {
      const customerId =
        (await h.app.store.repos.customers.findIdentity('telegram', String(userOf(3).id)))?.customerId ?? -1;
      const interactions = await h.app.store.repos.interactions.forCustomer(customerId, 200);
      return interactions.find((i) => i.direction === 'in' && i.text === text);
    }

    it('stores the largest acceptable size of a photo and logs it on the message', async () => {
      h.fake.addFile('PHOTO-L', PNG);
      const photo = [
        { file_id: 'PHOTO-S', width: 90, height: 90, file_size: 120 },
        { file_id: 'PHOTO-L', width: 800, height: 800, file_size: PNG.length },
        { file_id: 'PHOTO-XL', width: 4000, height: 4000, file_size: 50 * 1024 * 1024 },
      ];
      await h.deliver(
        h.fake.textUpdate({
          chat: { id: userOf(3).id, type: 'private' },
          from: userOf(3),
          extra: { photo, caption: '包裹破了' },
        }),
      );
      const inbound = await inboundWith('包裹破了');
      const ids = (inbound?.payload as { attachments?: string[] } | undefined)?.attachments ?? [];
      expect(ids).toHaveLength(1);
      // The oversized version is never fetched.
      expect(h.fake.calls.filter((c) => c.method === 'getFile').map((c) => c.payload.file_id)).toEqual(['PHOTO-L']);
      const staff = await h.app.http.inject({
        method: 'GET',
        url: `/api/attachments/${ids[0]}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(staff.statusCode).toBe(200);
      expect(staff.rawPayload.equals(PNG)).toBe(true);
    });

    it('a photo that cannot be downloaded still delivers the message, without the file', async () => {
      await h.deliver(
        h.fake.textUpdate({
          chat: { id: userOf(3).id, type: 'private' },
          from: userOf(3),
          extra: { photo: [{ file_id: 'GONE', width: 100, height: 100, file_size: 100 }], caption: '看图' },
        }),
      );
      const inbound = await inboundWith('看图');
      expect(inbound).toBeDefined();
      expect(inbound?.payload).not.toHaveProperty('attachments');
    });
  });
}
