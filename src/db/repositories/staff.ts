import type { StaffRole } from '../../domain/staff.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Staff } from '../types.ts';

type StaffUnique = Parameters<PrismaTx['staff']['findUnique']>[0]['where'];

export class StaffRepository {
  constructor(private readonly db: PrismaTx) {}

  /** The account with this unique value (id, username, token, a platform id), narrowed. */
  private async one(where: StaffUnique): Promise<Staff | null> {
    const found = await this.db.staff.findUnique({ where });
    return found && rows.staff(found);
  }

  get(id: number): Promise<Staff | null> {
    return this.one({ id });
  }

  byUsername(username: string): Promise<Staff | null> {
    return this.one({ username });
  }

  byTokenHash(tokenHash: string): Promise<Staff | null> {
    return this.one({ tokenHash });
  }

  /** Counts one more wrong password atomically (several instances may count at once); returns the new count. */
  async countFailedLogin(id: number): Promise<number> {
    const row = await this.db.staff.update({
      where: { id },
      data: { failedLogins: { increment: 1 } },
      select: { failedLogins: true },
    });
    return row.failedLogins;
  }

  byTelegramUser(telegramUserId: string): Promise<Staff | null> {
    return this.one({ telegramUserId });
  }

  byWecomUser(wecomUserId: string): Promise<Staff | null> {
    return this.one({ wecomUserId });
  }

  async create(data: {
    username: string;
    name: string;
    role: StaffRole;
    passwordHash?: string | null;
    tokenHash?: string | null;
    telegramUserId?: string | null;
    wecomUserId?: string | null;
    capacity?: number;
  }): Promise<Staff> {
    return rows.staff(await this.db.staff.create({ data }));
  }

  async update(
    id: number,
    data: Partial<
      Pick<
        Staff,
        | 'name'
        | 'role'
        | 'passwordHash'
        | 'tokenHash'
        | 'telegramUserId'
        | 'wecomUserId'
        | 'online'
        | 'capacity'
        | 'locale'
        | 'active'
        | 'lastSeenAt'
        | 'failedLogins'
        | 'lockedUntil'
      >
    >,
  ): Promise<Staff> {
    return rows.staff(await this.db.staff.update({ where: { id }, data }));
  }

  async list(): Promise<Staff[]> {
    return (await this.db.staff.findMany({ orderBy: { id: 'asc' } })).map(rows.staff);
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

  /** Deletes a canned reply; false when there was none. */
  async deleteCannedReply(shortcut: string): Promise<boolean> {
    return (await this.db.cannedReply.deleteMany({ where: { shortcut } })).count > 0;
  }
}
