import type { PrismaTx } from '../client.ts';
import type { StaffSession } from '../types.ts';

/** Console sessions (only token hashes are stored); see src/crm/staff-sessions.ts for the rules. */
export class StaffSessionRepository {
  constructor(private readonly db: PrismaTx) {}

  create(data: { staffId: number; tokenHash: string; at: Date; expiresAt: Date }): Promise<StaffSession> {
    return this.db.staffSession.create({
      data: {
        staffId: data.staffId,
        tokenHash: data.tokenHash,
        createdAt: data.at,
        lastSeenAt: data.at,
        expiresAt: data.expiresAt,
      },
    });
  }

  byTokenHash(tokenHash: string): Promise<StaffSession | null> {
    return this.db.staffSession.findUnique({ where: { tokenHash } });
  }

  get(id: number): Promise<StaffSession | null> {
    return this.db.staffSession.findUnique({ where: { id } });
  }

  async touch(id: number, at: Date): Promise<void> {
    await this.db.staffSession.updateMany({ where: { id, revokedAt: null }, data: { lastSeenAt: at } });
  }

  /** Sessions of a staff member not revoked and not past their absolute end, newest first. */
  live(staffId: number, now: Date): Promise<StaffSession[]> {
    return this.db.staffSession.findMany({
      where: { staffId, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { id: 'desc' },
    });
  }

  /** Ends one session; false when it was already ended. */
  async revoke(id: number, at: Date): Promise<boolean> {
    const { count } = await this.db.staffSession.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: at },
    });
    return count === 1;
  }

  /** Ends every session of a staff member; returns how many were live. */
  async revokeAll(staffId: number, at: Date): Promise<number> {
    const { count } = await this.db.staffSession.updateMany({
      where: { staffId, revokedAt: null },
      data: { revokedAt: at },
    });
    return count;
  }
}
