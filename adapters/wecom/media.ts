// Temporary media (临时素材): what WeCom accepts (上传的媒体文件限制) and the multipart body of
// media/upload, whose part must be named "media" and carry filename and filelength. A file WeCom
// would refuse is refused here, before any bytes leave.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const MediaType = z.enum(['image', 'voice', 'video', 'file']);
export type MediaType = z.infer<typeof MediaType>;

const MB = 1024 * 1024;
export const MEDIA_MAX_BYTES: Record<MediaType, number> = {
  image: 10 * MB,
  voice: 2 * MB,
  video: 10 * MB,
  file: 20 * MB,
};
/** WeCom refuses files of 5 bytes or fewer. */
const MEDIA_MIN_BYTES = 6;

const MEDIA_MIMES: Partial<Record<MediaType, readonly string[]>> = {
  image: ['image/jpeg', 'image/png'],
  voice: ['audio/amr'],
  video: ['video/mp4'],
};

export interface MediaFile {
  name: string;
  mime: string;
  data: Buffer;
}

export class MediaRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaRejected';
  }
}

export function checkMedia(type: MediaType, file: MediaFile): void {
  const size = file.data.length;
  if (size < MEDIA_MIN_BYTES) throw new MediaRejected(`${type} is empty or too small`);
  if (size > MEDIA_MAX_BYTES[type]) throw new MediaRejected(`${type} over ${MEDIA_MAX_BYTES[type] / MB} MB`);
  const mimes = MEDIA_MIMES[type];
  if (mimes && !mimes.includes(file.mime)) throw new MediaRejected(`${type} must be ${mimes.join(' or ')}`);
}

export function multipartBody(file: MediaFile): { contentType: string; body: Buffer } {
  const boundary = `----guanxi${randomBytes(12).toString('hex')}`;
  // Quotes and line breaks would end the header; WeCom takes the name as UTF-8.
  const name = file.name.replace(/["\r\n\\]/g, '_') || 'file';
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="media"; filename="${name}"; filelength=${file.data.length}\r\n` +
    `Content-Type: ${file.mime.replace(/[\r\n]/g, '')}\r\n\r\n`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head, 'utf8'), file.data, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]),
  };
}
