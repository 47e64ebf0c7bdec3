// Attachment rows (the bytes are on disk; src/crm/attachments.ts writes and reads them).
import type { ChannelName } from '../../domain/channels.ts';
import type { AttachmentKind } from '../../domain/messages.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Attachment } from '../types.ts';

export interface NewAttachment {
  id: string;
  channel: ChannelName;
  owner: string;
  kind: AttachmentKind;
  mime: string;
  size: number;
  name: string | null;
  path: string;
  at: Date;
  /** A photo staff uploaded to send into this conversation (see the Attachment model). */
  conversationId?: number;
  staffId?: number | null;
}

export class AttachmentRepository {
  constructor(private readonly db: PrismaTx) {}

  async create(input: NewAttachment): Promise<Attachment> {
    const { at, ...data } = input;
    return rows.attachment(await this.db.attachment.create({ data: { ...data, createdAt: at } }));
  }

  async get(id: string): Promise<Attachment | null> {
    const found = await this.db.attachment.findUnique({ where: { id } });
    return found && rows.attachment(found);
  }

  /** The listed attachments that this owner sent on this channel (never a photo staff sent them). */
  async ofOwner(channel: ChannelName, owner: string, ids: string[]): Promise<Attachment[]> {
    const found = await this.db.attachment.findMany({
      where: { id: { in: ids }, channel, owner, conversationId: null },
    });
    return found.map(rows.attachment);
  }

  /** The listed photos uploaded by this staff member (null: the ADMIN_TOKEN holder) for this conversation. */
  async ofStaffUpload(conversationId: number, staffId: number | null, ids: string[]): Promise<Attachment[]> {
    const found = await this.db.attachment.findMany({ where: { id: { in: ids }, conversationId, staffId } });
    return found.map(rows.attachment);
  }
}
