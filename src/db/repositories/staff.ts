import type { PrismaTx } from '../client.ts';
import type { Staff } from '../types.ts';

export class StaffRepository {
  constructor(private readonly db: PrismaTx) {}

  get(id: number): Promise<Staff | null> {
    return this.db.staff.findUnique({ where: { id } });
  }

  byUsername(username: string): Promise<Staff | null> {
    return this.db.staff.findUnique({ where: { username } });
  }

  byTokenHash(tokenHash: string): Promise<Staff | null> {
    return this.db.staff.findUnique({ where: { tokenHash } });
  }

  byTelegramUser(telegramUserId: string): Promise<Staff | null> {
    return this.db.staff.findUnique({ where: { telegramUserId } });
  }

  create(data: {
    username: string;
    name: string;
    role: string;
    passwordHash?: string | null;
    tokenHash?: string | null;
    telegramUserId?: string | null;
    capacity?: number;
  }): Promise<Staff> {
    return this.db.staff.create({ data });
  }

  update(
    id: number,
    data: Partial<
      Pick<
        Staff,
        | 'name'
        | 'role'
        | 'passwordHash'
        | 'tokenHash'
        | 'telegramUserId'
        | 'online'
        | 'capacity'
        | 'locale'
        | 'active'
        | 'lastSeenAt'
      >
    >,
  ): Promise<Staff> {
    return this.db.staff.update({ where: { id }, data });
  }

  list(): Promise<Staff[]> {
    return this.db.staff.findMany({ orderBy: { id: 'asc' } });
  }

  cannedReplies() {
    return this.db.cannedReply.findMany({ orderBy: { shortcut: 'asc' } });
  }

  upsertCannedReply(shortcut: string, text: string, textEn?: string | null) {
    return this.db.cannedReply.upsert({
      where: { shortcut },
      create: { shortcut, text, textEn: textEn ?? null },
      update: { text, textEn: textEn ?? null },
    });
  }
}
