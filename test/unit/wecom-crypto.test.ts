// WeCom callback crypto (WXBizMsgCrypt) and the callback envelope: cross-checked against
// @wecom/crypto, and every way a forged or damaged callback must be refused.
import { createCipheriv } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as reference from '@wecom/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openCallback,
  parseCallbackEvent,
  sealCallback,
  sealEcho,
  sealReply,
  verifyUrl,
} from '../../adapters/wecom/callback.ts';
import { CallbackRejected, WecomCrypto } from '../../adapters/wecom/crypto.ts';
import { buildXml, parseXmlFields, XmlError } from '../../adapters/wecom/xml.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import { type FakeWecom, startFakeWecom } from '../helpers/fake-wecom.ts';

const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const CORP_ID = 'wx5823bf96d3bd56c7';
const keys = { token: 'QDG6eK', encodingAesKey: AES_KEY, receiveId: CORP_ID };
const crypto = new WecomCrypto(keys);

function rejection(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CallbackRejected) return error.reason;
    throw error;
  }
  return 'accepted';
}

/** Flips bits of byte `index` of the base64 ciphertext's bytes. */
function tamper(encrypted: string, index: number, mask: number): string {
  const data = Buffer.from(encrypted, 'base64');
  data[index] = (data[index] ?? 0) ^ mask;
  return data.toString('base64');
}

/** AES-256-CBC over a plaintext built by hand (the padding included), as a forger would. */
function encryptRaw(message: string, padding: number[]): string {
  const key = Buffer.from(`${AES_KEY}=`, 'base64');
  const body = Buffer.from(message);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([Buffer.alloc(16, 1), length, body, Buffer.from(CORP_ID), Buffer.from(padding)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

describe('WeCom callback crypto', () => {
  it('round-trips messages of every length, including Chinese text', () => {
    for (const message of ['', 'a', '你好，世界', 'x'.repeat(31), 'y'.repeat(32), 'z'.repeat(1000)]) {
      expect(crypto.decrypt(crypto.encrypt(message))).toBe(message);
    }
  });

  it('agrees with @wecom/crypto in both directions (signature, encrypt, decrypt)', () => {
    const message = '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Content>测试</Content></xml>';
    const random = Buffer.from('0123456789abcdef');
    const ours = crypto.encrypt(message, random);
    expect(ours).toBe(reference.encrypt(AES_KEY, message, CORP_ID, random));
    expect(reference.decrypt(AES_KEY, ours)).toMatchObject({ message, id: CORP_ID });
    expect(crypto.decrypt(reference.encrypt(AES_KEY, message, CORP_ID))).toBe(message);
    expect(crypto.signature('1409659813', '1372623149', ours)).toBe(
      reference.getSignature('QDG6eK', '1409659813', '1372623149', ours),
    );
  });

  it('refuses a message sealed for another corp (wrong receive id)', () => {
    const other = new WecomCrypto({ ...keys, receiveId: 'ww-other-corp' });
    expect(rejection(() => crypto.decrypt(other.encrypt('hello')))).toBe('wrong_receiver');
  });

  it('refuses tampered ciphertext: padding, receive id, length, truncation, not base64', () => {
    const encrypted = crypto.encrypt('hello world');
    const size = Buffer.from(encrypted, 'base64').length;
    // CBC: flipping a byte of block n-1 flips the same byte of plaintext block n.
    expect(rejection(() => crypto.decrypt(tamper(encrypted, size - 17, 0x40)))).toBe('bad_ciphertext');
    // 16 random + 4 length + 11 message = 31: the receive id starts in the second block, byte 15.
    const receiverFlip = tamper(encrypted, 15, 0x01);
    expect(rejection(() => crypto.decrypt(receiverFlip))).toBe('wrong_receiver');
    // The length field (plaintext bytes 16..19) lives in block 1: flip block 0's byte 0.
    expect(rejection(() => crypto.decrypt(tamper(encrypted, 0, 0x80)))).toBe('bad_ciphertext');
    expect(rejection(() => crypto.decrypt(encrypted.slice(0, 24)))).toBe('bad_ciphertext');
    expect(rejection(() => crypto.decrypt('not base64!'))).toBe('bad_ciphertext');
    expect(rejection(() => crypto.decrypt(''))).toBe('bad_ciphertext');
  });

  it('accepts only PKCS#7 padding to 32 bytes', () => {
    // 16 + 4 + 6 ('hello!') + 18 (CorpID) = 44 bytes: PKCS#7 to 32 adds 20 bytes of 20.
    expect(crypto.decrypt(encryptRaw('hello!', Array(20).fill(20)))).toBe('hello!');
    // Also whole blocks, but not what WeCom's padding makes: 36 bytes of 36, a padding byte that differs, none.
    expect(rejection(() => crypto.decrypt(encryptRaw('hello!', Array(36).fill(36))))).toBe('bad_ciphertext');
    expect(rejection(() => crypto.decrypt(encryptRaw('hello!', [...Array(19).fill(20), 21].reverse())))).toBe(
      'bad_ciphertext',
    );
    expect(rejection(() => crypto.decrypt(encryptRaw('hello!', [...Array(19).fill(1), 0])))).toBe('bad_ciphertext');
  });

  it('verifies signatures in constant time and refuses a wrong one', () => {
    const encrypted = crypto.encrypt('x');
    const signature = crypto.signature('1', '2', encrypted);
    expect(crypto.verify(signature, '1', '2', encrypted)).toBe(true);
    expect(crypto.verify(signature.toUpperCase(), '1', '2', encrypted)).toBe(true);
    expect(crypto.verify(signature, '1', '3', encrypted)).toBe(false);
    expect(crypto.verify(signature.slice(1), '1', '2', encrypted)).toBe(false);
    expect(() => new WecomCrypto({ ...keys, encodingAesKey: 'short' })).toThrow(/43/);
  });
});

describe('WeCom callback requests', () => {
  const event = buildXml({
    ToUserName: CORP_ID,
    CreateTime: 1348831860,
    MsgType: 'event',
    Event: 'kf_msg_or_event',
    Token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR',
    OpenKfId: 'wkxxxxxxx',
  });

  it('URL verification answers the decrypted echostr; a wrong signature is refused', () => {
    const query = sealEcho(crypto, '1616140317555161061', { timestamp: '1409659589', nonce: '263014780' });
    expect(verifyUrl(crypto, query)).toBe('1616140317555161061');
    expect(rejection(() => verifyUrl(crypto, { ...query, nonce: '263014781' }))).toBe('bad_signature');
    expect(rejection(() => verifyUrl(crypto, { ...query, msg_signature: undefined }))).toBe('malformed');
  });

  it('opens a sealed kf_msg_or_event callback into its fields and event', () => {
    const sealed = sealCallback(crypto, event, { timestamp: '1409659813', nonce: '1372623149' });
    const fields = openCallback(crypto, sealed.query, sealed.body);
    expect(fields.Token).toBe('ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR');
    expect(parseCallbackEvent(fields)).toEqual({
      kind: 'kf_msg_or_event',
      corpId: CORP_ID,
      at: new Date(1348831860 * 1000),
      syncToken: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR',
      openKfId: 'wkxxxxxxx',
    });
    expect(parseCallbackEvent({ MsgType: 'event', Event: 'change_external_contact' })).toEqual({
      kind: 'other',
      msgType: 'event',
      event: 'change_external_contact',
    });
  });

  it('refuses a tampered envelope, a signature from another token, and anything but one small XML document', () => {
    const sealed = sealCallback(crypto, event, { timestamp: '1409659813', nonce: '1372623149' });
    const encrypted = parseXmlFields(sealed.body).Encrypt ?? '';
    const tampered = sealed.body.replace(encrypted, tamper(encrypted, 3, 0x01));
    expect(rejection(() => openCallback(crypto, sealed.query, tampered))).toBe('bad_signature');
    const forger = new WecomCrypto({ ...keys, token: 'guessed' });
    const forged = sealCallback(forger, event, { timestamp: '1409659813' });
    expect(rejection(() => openCallback(crypto, forged.query, forged.body))).toBe('bad_signature');
    expect(rejection(() => openCallback(crypto, sealed.query, '<xml><Encrypt>x</Encrypt>'))).toBe('malformed');
    expect(rejection(() => openCallback(crypto, sealed.query, '<xml><ToUserName>a</ToUserName></xml>'))).toBe(
      'malformed',
    );
    const doctype = `<!DOCTYPE xml [<!ENTITY e "${'a'.repeat(10)}">]>${sealed.body}`;
    expect(rejection(() => openCallback(crypto, sealed.query, doctype))).toBe('malformed');
    const huge = sealed.body.replace('</xml>', `<Pad>${'p'.repeat(70_000)}</Pad></xml>`);
    expect(rejection(() => openCallback(crypto, sealed.query, huge))).toBe('malformed');
    expect(rejection(() => openCallback(crypto, { timestamp: '1' }, sealed.body))).toBe('malformed');
  });

  it('seals passive replies that WeCom (and @wecom/crypto) can open', () => {
    const reply = parseXmlFields(sealReply(crypto, 'success', { timestamp: '1409659813', nonce: 'n1' }));
    expect(reply.MsgSignature).toBe(reference.getSignature('QDG6eK', '1409659813', 'n1', reply.Encrypt ?? ''));
    expect(reference.decrypt(AES_KEY, reply.Encrypt ?? '')).toMatchObject({ message: 'success', id: CORP_ID });
  });
});

describe('callback XML', () => {
  it('reads CDATA and bare values as strings, keeps leading zeros, decodes the predefined entities', () => {
    expect(
      parseXmlFields(
        '<?xml version="1.0"?><xml><A><![CDATA[x <y> & z]]></A><AgentID>0012</AgentID><B>&lt;b&amp;</B><N><C>1</C></N></xml>',
      ),
    ).toEqual({ A: 'x <y> & z', AgentID: '0012', B: '<b&' });
  });

  it('refuses mismatched tags, repeated elements and a DOCTYPE', () => {
    expect(() => parseXmlFields('<xml><a>1</b></xml>')).toThrow(XmlError);
    expect(() => parseXmlFields('<xml><a>1</a><a>2</a></xml>')).toThrow(/more than once/);
    expect(() => parseXmlFields('<!DOCTYPE x><xml><a>1</a></xml>')).toThrow(/DOCTYPE/);
    expect(() => parseXmlFields('just text')).toThrow(XmlError);
  });

  it('builds CDATA that survives "]]>" in a value', () => {
    expect(parseXmlFields(buildXml({ Content: 'a]]>b', CreateTime: 5 }))).toEqual({
      Content: 'a]]>b',
      CreateTime: '5',
    });
  });
});

describe('fake WeCom callback delivery', () => {
  let fake: FakeWecom | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('POSTs an encrypted kf_msg_or_event the callback module opens, carrying a Token sync_msg accepts', async () => {
    const clock = new ManualClock('2026-03-01T08:00:00Z');
    fake = await startFakeWecom({
      clock,
      corpId: CORP_ID,
      callback: { token: keys.token, encodingAesKey: AES_KEY },
    });
    const received: Array<ReturnType<typeof parseCallbackEvent>> = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        const query = Object.fromEntries(new URL(request.url ?? '/', 'http://x').searchParams);
        try {
          received.push(parseCallbackEvent(openCallback(crypto, query, body)));
          response.end('success');
        } catch {
          response.writeHead(401).end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    const port = typeof address === 'object' && address !== null ? (address satisfies AddressInfo).port : 0;
    try {
      const answer = await fake.deliverCallback(`http://127.0.0.1:${port}/wecom/callback`, 'wkSHOP');
      expect(answer).toEqual({ status: 200, text: 'success' });
      expect(received).toEqual([
        {
          kind: 'kf_msg_or_event',
          corpId: CORP_ID,
          at: new Date('2026-03-01T08:00:00Z'),
          syncToken: expect.stringMatching(/^ENC/),
          openKfId: 'wkSHOP',
        },
      ]);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
