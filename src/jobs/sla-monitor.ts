// SLA monitor: every minute, warns before a first-response or resolution target is missed and marks
// breaches. Each warning/breach is claimed by setting its column only where it is still null, so
// with several instances exactly one of them notifies. `runOnce(now)` is what tests call.
import { audit } from '../crm/audit.ts';
import type { ServiceDeps } from '../crm/context.ts';
import { recordEvent } from '../crm/profile-events.ts';
import type { Conversation } from '../crm/records.ts';
import { priorityLevel, slaTargets, warningLeadMs } from '../crm/service-levels.ts';
import type { Services } from '../crm/services.ts';
import type { Job } from './cron.ts';

export interface SlaRun {
  warned: number[];
  breached: number[];
  assigned: number;
}

type Alert = { kind: 'warning' | 'breach'; dueAt: Date };

export class SlaMonitor implements Job {
  readonly name = 'sla-monitor';
  readonly cron = '* * * * *';

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Pick<Services, 'escalation' | 'staffRelay'>,
  ) {}

  async runOnce(now: Date = this.deps.clock.now()): Promise<SlaRun> {
    const run: SlaRun = { warned: [], breached: [], assigned: 0 };
    for (const conversation of await this.deps.store.repos.desk.slaCandidates()) {
      const alert = this.alertFor(conversation, now);
      if (!alert) continue;
      const field = alert.kind === 'breach' ? 'slaBreachedAt' : 'slaWarnedAt';
      if (!(await this.claim(conversation, field, alert, now))) continue;
      (alert.kind === 'breach' ? run.breached : run.warned).push(conversation.id);
      await this.notify(conversation, alert);
    }
    // Agents who came online or freed capacity since the last escalation pick up waiting chats.
    run.assigned = (await this.services.escalation.autoAssign()).length;
    return run;
  }

  private alertFor(c: Conversation, now: Date): Alert | null {
    const targets = slaTargets(this.deps.config.desk, priorityLevel(c.priority));
    const clocks = [
      { due: c.firstResponseAt ? null : c.firstResponseDueAt, minutes: targets.firstResponseMinutes },
      { due: c.resolutionDueAt, minutes: targets.resolutionMinutes },
    ];
    for (const { due } of clocks) if (due && now >= due) return { kind: 'breach', dueAt: due };
    if (c.slaWarnedAt) return null;
    for (const { due, minutes } of clocks) {
      if (due && now.getTime() >= due.getTime() - warningLeadMs(minutes)) return { kind: 'warning', dueAt: due };
    }
    return null;
  }

  private claim(c: Conversation, field: 'slaWarnedAt' | 'slaBreachedAt', alert: Alert, now: Date): Promise<boolean> {
    return this.deps.store.transaction(async (repos) => {
      if (!(await repos.desk.claimSlaMark(c.id, field, now))) return false;
      const type = `conversation.sla_${alert.kind}` as const;
      await recordEvent(repos, now, {
        customerId: c.customerId,
        conversationId: c.id,
        chatId: c.chatId,
        text: `sla ${alert.kind}`,
        event: { type, dueAt: alert.dueAt.toISOString() },
      });
      await audit(repos, now, {
        actor: { type: 'system' },
        action: type,
        entity: 'conversation',
        entityId: c.id,
        details: { dueAt: alert.dueAt.toISOString(), assigneeId: c.assigneeId },
      });
      return true;
    });
  }

  private async notify(c: Conversation, alert: Alert): Promise<void> {
    const text = `SLA ${alert.kind === 'breach' ? 'breached' : 'due soon'}: ${alert.dueAt.toISOString()}`;
    this.deps.events.emit('desk', { type: `sla_${alert.kind}`, conversationId: c.id, staffId: c.assigneeId, text });
    const { repos } = this.deps.store;
    const [customer, assignee] = await Promise.all([
      repos.customers.get(c.customerId),
      c.assigneeId ? repos.staff.get(c.assigneeId) : null,
    ]);
    if (!customer) return;
    await this.services.staffRelay.notify(`sla_${alert.kind}`, c.id, (relay) =>
      relay.onSlaAlert({
        conversation: c,
        customer,
        kind: alert.kind,
        dueAt: alert.dueAt,
        ...(assignee ? { assigneeName: assignee.name } : {}),
      }),
    );
  }
}
