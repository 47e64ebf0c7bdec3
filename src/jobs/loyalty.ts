// Daily loyalty upkeep: expire points past their date, remind before expiry, birthday points, and
// tier re-evaluation as the 12-month window slides. Every step is keyed in the database, so a rerun
// (restart, second instance, manual run) changes nothing.
import type { LoyaltyService } from '../crm/loyalty.ts';
import type { Job } from './cron.ts';

export class LoyaltyJob implements Job {
  readonly name = 'loyalty';
  // Hourly: cheap when there is nothing to do, and a missed night does not delay expiry by a day.
  readonly cron = '7 * * * *';

  constructor(private readonly loyalty: LoyaltyService) {}

  async runOnce(now: Date): Promise<{ expired: number; reminded: number; birthdays: number }> {
    const expired = await this.loyalty.expireDue(now);
    const reminded = await this.loyalty.remindExpiring(now);
    const birthdays = await this.loyalty.creditBirthdays(now);
    await this.loyalty.refreshAllTiers(now);
    return { expired, reminded, birthdays };
  }
}
