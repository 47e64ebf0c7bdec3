// Photos sent to the WeChat bot are stored like webchat uploads (mock puppet): logged on the
// interaction by id and readable by staff.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The puppet's own file container (a dependency of wechaty): how the mock hands a photo's bytes over.
import { FileBox } from 'file-box';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { types } from 'wechaty';
import { type WechatHarness, wechatHarness } from '../contract/wechat-harness.ts';
import { ADMIN_TOKEN } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describeEachProvider('wechat photos', (provider) => {
  let h: WechatHarness;
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'guanxi-wx-photos-'));
    h = await wechatHarness(provider, { DATA_DIR: dataDir });
  });
  afterEach(async () => {
    await h.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function sendImage(user: number, bytes: Buffer) {
    const id = randomUUID();
    h.mocker.MessageMock.create({
      id,
      talkerId: h.contact(user).id,
      listenerId: h.puppet.currentUserId,
      timestamp: Date.now(),
      type: types.Message.Image,
    });
    h.mocker.cacheFileBoxPayload.set(id, FileBox.fromBase64(bytes.toString('base64'), 'photo.png').toJSON());
    await h.settle('message', () => h.puppet.emit('message', { messageId: id }));
  }

  async function images(user: number): Promise<string[]> {
    const customerId = (await h.app.store.repos.customers.findIdentity('wechat', h.contact(user).id))?.customerId ?? -1;
    const interactions = await h.app.store.repos.interactions.forCustomer(customerId, 200);
    return interactions.flatMap((i) => {
      const ids = (i.payload as { attachments?: string[] } | null)?.attachments;
      return i.direction === 'in' && ids ? ids : [];
    });
  }

  it('stores a photo and logs it on the message; staff read it back', async () => {
    await sendImage(5, PNG);
    const ids = await images(5);
    expect(ids).toHaveLength(1);
    const staff = await h.app.http.inject({
      method: 'GET',
      url: `/api/attachments/${ids[0]}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(staff.statusCode).toBe(200);
    expect(staff.rawPayload.equals(PNG)).toBe(true);
  });

  it('a file that is not an image is logged as a message without an attachment', async () => {
    await sendImage(6, Buffer.from('not an image'));
    expect(await images(6)).toEqual([]);
    const customerId = (await h.app.store.repos.customers.findIdentity('wechat', h.contact(6).id))?.customerId;
    expect(customerId).toBeDefined();
  });
});
