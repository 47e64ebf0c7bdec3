// Files customers send (photos as after-sale evidence) and photos staff send to customers: checked
// by content, not by name or declared type (jpeg, png, webp or gif, at most UPLOAD_MAX_MB), stored
// on local disk under the data folder with an unguessable id, and read back only by the customer who
// sent or received them (the webchat visitor), by staff, and by the adapter sending them.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';
import type { Attachment } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import type { ChannelName } from '../domain/channels.ts';
import { InvalidInputError, NotFoundError, PayloadTooLargeError } from '../domain/errors.ts';
import type { Attachment as MessageAttachment } from '../domain/messages.ts';
import type { ServiceDeps } from './context.ts';
import { customerInScope, isAgent } from './customer-access.ts';

/** The image types a customer may send, by the type their bytes say they are. */
const imageTypes = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

export interface StoredFile {
  attachment: Attachment;
  bytes: Buffer;
}

const AttachmentRefs = z.object({ attachments: z.array(z.string()) });

/** The ids of the photos a logged interaction carries (a customer's message or a staff reply). */
export function attachmentIdsOf(payload: unknown): string[] {
  const refs = AttachmentRefs.safeParse(payload);
  return refs.success ? refs.data.attachments : [];
}

/** The attachment as messages carry it (src/domain/messages.ts). */
export function asMessageAttachment(row: Attachment): MessageAttachment {
  return { id: row.id, kind: row.kind, mime: row.mime, size: row.size, ...(row.name ? { name: row.name } : {}) };
}

export class AttachmentService {
  constructor(private readonly deps: ServiceDeps) {}

  get maxBytes(): number {
    return this.deps.config.uploads.maxBytes;
  }

  /**
   * Stores an image sent by `owner` on `channel` (or, with `staffUpload`, a photo staff will send to
   * that customer in that conversation); 413 when too large, 400 when not an accepted image.
   */
  async saveImage(input: {
    channel: ChannelName;
    owner: string;
    bytes: Buffer;
    name?: string | undefined;
    staffUpload?: { conversationId: number; staffId: number | null };
  }): Promise<Attachment> {
    if (input.bytes.length > this.maxBytes)
      throw new PayloadTooLargeError(`images are limited to ${this.deps.config.uploads.maxBytes} bytes`);
    const type = await fileTypeFromBuffer(input.bytes);
    if (!type || !imageTypes.has(type.mime)) throw new InvalidInputError('send a JPEG, PNG, WebP or GIF image');
    const id = randomBytes(18).toString('base64url');
    const path = join('attachments', id.slice(0, 2), `${id}.${type.ext}`);
    const file = join(this.deps.config.uploads.dir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, input.bytes, { flag: 'wx' });
    return this.deps.store.repos.attachments.create({
      id,
      channel: input.channel,
      owner: input.owner,
      kind: 'image',
      mime: type.mime,
      size: input.bytes.length,
      name: input.name?.slice(0, 200) ?? null,
      path,
      at: this.deps.clock.now(),
      ...(input.staffUpload ?? {}),
    });
  }

  /** The photos a staff reply refers to; 400 unless every id was uploaded by this staff member for this conversation. */
  async ofStaffUpload(conversationId: number, staffId: number | null, ids: string[]): Promise<Attachment[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = await this.deps.store.repos.attachments.ofStaffUpload(conversationId, staffId, unique);
    if (found.length !== unique.length) throw new InvalidInputError('unknown attachment: upload the photo first');
    return unique.flatMap((id) => found.filter((row) => row.id === id));
  }

  /** The bytes of an attachment for a channel adapter sending it (the outbox row named it). */
  async readForSending(id: string): Promise<StoredFile> {
    const row = await this.deps.store.repos.attachments.get(id);
    if (!row) throw new NotFoundError(`attachment ${id}`);
    return this.read(row);
  }

  /** The attachments a message refers to; 400 unless every id was uploaded by this sender. */
  async ofSender(channel: ChannelName, owner: string, ids: string[]): Promise<Attachment[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = await this.deps.store.repos.attachments.ofOwner(channel, owner, unique);
    if (found.length !== unique.length) throw new InvalidInputError('unknown attachment');
    return unique.flatMap((id) => found.filter((row) => row.id === id));
  }

  /**
   * One attachment for the customer who sent it, or to whom staff sent it (its channel and owner
   * name them); 404 for anyone else (nothing is revealed).
   */
  async readAsSender(channel: ChannelName, owner: string, id: string): Promise<StoredFile> {
    const row = await this.deps.store.repos.attachments.get(id);
    if (!row || row.channel !== channel || row.owner !== owner) throw new NotFoundError(`attachment ${id}`);
    return this.read(row);
  }

  /** A file for staff: an agent only reaches the files of customers in their scope (else 404). */
  async readAsStaff(id: string, actor: Actor): Promise<StoredFile> {
    const { repos } = this.deps.store;
    const row = await repos.attachments.get(id);
    if (!row) throw new NotFoundError(`attachment ${id}`);
    if (isAgent(actor)) {
      const identity = await repos.customers.findIdentity(row.channel, row.owner);
      if (!identity || !(await customerInScope(repos, actor, identity.customerId))) {
        throw new NotFoundError(`attachment ${id}`);
      }
    }
    return this.read(row);
  }

  private async read(attachment: Attachment): Promise<StoredFile> {
    const bytes = await readFile(join(this.deps.config.uploads.dir, attachment.path)).catch(() => null);
    if (!bytes) throw new NotFoundError(`attachment ${attachment.id}`);
    return { attachment, bytes };
  }
}
