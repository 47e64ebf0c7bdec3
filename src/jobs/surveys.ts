// Sends due surveys (post-purchase N days after delivery, service CSAT after a resolution) and
// expires unanswered ones. Safe to run on several instances: each row is claimed atomically.
import type { SurveyService } from '../crm/surveys.ts';
import type { Job } from './cron.ts';

export class SurveyJob implements Job {
  readonly name = 'surveys';
  readonly cron = '* * * * *';

  constructor(private readonly surveys: SurveyService) {}

  async runOnce(now: Date): Promise<{ sent: number; expired: number }> {
    const expired = await this.surveys.expireDue(now);
    const sent = await this.surveys.dispatchDue(now);
    return { sent, expired };
  }
}
