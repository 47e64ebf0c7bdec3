// Nightly customer analytics (RFM, lifecycle, CLV, churn risk) and the automation triggers. Each run
// is claimed in the database (JobRun) first, so with several instances it happens once.

import type { ServiceDeps } from '../crm/context.ts';
import type { Services } from '../crm/services.ts';
import { dayKey } from '../kernel/hours.ts';
import type { Job } from './cron.ts';

/** Runs `work` only if this instance is the first to claim `name` for `runKey`; records the outcome. */
export async function runClaimed<T>(
  deps: ServiceDeps,
  name: string,
  runKey: string,
  work: () => Promise<T>,
): Promise<T | undefined> {
  const repos = deps.store.repos;
  if (!(await repos.settings.claimJobRun(name, runKey, deps.clock.now()))) return undefined;
  try {
    const result = await work();
    await repos.settings.finishJobRun(name, runKey, deps.clock.now(), 'done');
    return result;
  } catch (error) {
    await repos.settings.finishJobRun(name, runKey, deps.clock.now(), 'failed');
    throw error;
  }
}

export class AnalyticsJob implements Job {
  readonly name = 'analytics';
  readonly cron = '30 3 * * *';

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Pick<Services, 'analytics'>,
  ) {}

  async runOnce(now: Date) {
    const result = await runClaimed(this.deps, this.name, dayKey(now, this.deps.config.shop.timezone), () =>
      this.services.analytics.recompute(),
    );
    if (result) this.deps.log.info(result, 'customer analytics recomputed');
    return result;
  }
}

export class AutomationsJob implements Job {
  readonly name = 'automations';
  readonly cron = '*/15 * * * *';

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Pick<Services, 'automations'>,
  ) {}

  runOnce(now: Date) {
    const slot = new Date(Math.floor(now.getTime() / 900_000) * 900_000).toISOString();
    return runClaimed(this.deps, this.name, slot, () => this.services.automations.run());
  }
}
