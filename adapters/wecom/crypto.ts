// WeCom's callback encryption (WXBizMsgCrypt, 加解密方案): every callback carries
// msg_signature = SHA-1 over the sorted [token, timestamp, nonce, ciphertext]; the ciphertext is
// AES-256-CBC with key = base64(EncodingAESKey + '='), IV = the key's first 16 bytes, PKCS#7 padding
// to 32 bytes, over 16 random bytes + 4-byte big-endian length + message + receive id (the CorpID).
// Written here rather than taken from `@wecom/crypto` because that package accepts bad padding, an
// out-of-range length and any receive id; the test suite cross-checks both directions against it.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PAD_BLOCK = 32;
const AES_BLOCK = 16;
const RANDOM_BYTES = 16;
const HEADER_BYTES = RANDOM_BYTES + 4;

/** Why a callback was refused; every reason is answered the same way (401) by the HTTP route. */
export type CallbackRejection = 'bad_signature' | 'bad_ciphertext' | 'wrong_receiver' | 'malformed';

export class CallbackRejected extends Error {
  constructor(
    readonly reason: CallbackRejection,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackRejected';
  }
}

export interface CallbackKeys {
  /** The Token set beside the callback URL in the admin console. */
  token: string;
  /** The 43-character EncodingAESKey set beside it. */
  encodingAesKey: string;
  /** Whose messages these are: the CorpID for 微信客服 and 客户联系 callbacks. */
  receiveId: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export class WecomCrypto {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(private readonly keys: CallbackKeys) {
    if (!/^[A-Za-z0-9]{43}$/.test(keys.encodingAesKey)) {
      throw new Error('EncodingAESKey must be 43 letters or digits');
    }
    this.key = Buffer.from(`${keys.encodingAesKey}=`, 'base64');
    this.iv = this.key.subarray(0, AES_BLOCK);
  }

  get receiveId(): string {
    return this.keys.receiveId;
  }

  signature(timestamp: string, nonce: string, encrypted: string): string {
    return createHash('sha1').update([this.keys.token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
  }

  /** Constant-time comparison, so the signature cannot be guessed byte by byte. */
  verify(signature: string, timestamp: string, nonce: string, encrypted: string): boolean {
    const expected = Buffer.from(this.signature(timestamp, nonce, encrypted), 'utf8');
    const given = Buffer.from(signature.toLowerCase(), 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  encrypt(message: string, random: Buffer = randomBytes(RANDOM_BYTES)): string {
    if (random.length !== RANDOM_BYTES) throw new Error(`random prefix must be ${RANDOM_BYTES} bytes`);
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    const plain = pad(Buffer.concat([random, length, body, Buffer.from(this.keys.receiveId, 'utf8')]));
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
  }

  /** The message inside; refuses anything whose padding, length or receive id is not exactly right. */
  decrypt(encrypted: string): string {
    if (!BASE64.test(encrypted) || encrypted.length % 4 !== 0) {
      throw new CallbackRejected('bad_ciphertext', 'ciphertext is not base64');
    }
    const data = Buffer.from(encrypted, 'base64');
    if (data.length === 0 || data.length % AES_BLOCK !== 0) {
      throw new CallbackRejected('bad_ciphertext', 'ciphertext is not whole AES blocks');
    }
    const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
    decipher.setAutoPadding(false);
    const plain = unpad(Buffer.concat([decipher.update(data), decipher.final()]));
    if (plain.length < HEADER_BYTES) throw new CallbackRejected('bad_ciphertext', 'plaintext too short');
    const length = plain.readUInt32BE(RANDOM_BYTES);
    if (length > plain.length - HEADER_BYTES) throw new CallbackRejected('bad_ciphertext', 'length out of range');
    const receiveId = plain.subarray(HEADER_BYTES + length).toString('utf8');
    if (receiveId !== this.keys.receiveId) throw new CallbackRejected('wrong_receiver', 'receive id does not match');
    return plain.subarray(HEADER_BYTES, HEADER_BYTES + length).toString('utf8');
  }
}

function pad(data: Buffer): Buffer {
  const count = PAD_BLOCK - (data.length % PAD_BLOCK);
  return Buffer.concat([data, Buffer.alloc(count, count)]);
}

function unpad(data: Buffer): Buffer {
  const count = data[data.length - 1] ?? 0;
  if (count < 1 || count > PAD_BLOCK || count > data.length) {
    throw new CallbackRejected('bad_ciphertext', 'bad padding');
  }
  for (let i = data.length - count; i < data.length; i++) {
    if (data[i] !== count) throw new CallbackRejected('bad_ciphertext', 'bad padding');
  }
  return data.subarray(0, data.length - count);
}
