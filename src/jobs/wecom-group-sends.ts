// WeCom 客户联系 群发: creates the tasks for campaign deliveries handed to WeCom, then reads back what
// staff confirmed in the WeCom app into the Delivery rows. Rows are claimed in the database, so a
// rerun or a second instance sends no task twice. Does nothing unless WECOM_CONTACT_SECRET is set.
import type { WecomContactService } from '../crm/wecom-contacts.ts';
import type { Job } from './cron.ts';

export class WecomGroupSendJob implements Job {
  readonly name = 'wecom-group-sends';
  readonly cron = '*/2 * * * *';

  constructor(private readonly contacts: WecomContactService) {}

  async runOnce(now: Date) {
    const submitted = await this.contacts.submitGroupSends(now);
    const results = await this.contacts.readGroupSendResults(now);
    return { submitted, results };
  }
}
