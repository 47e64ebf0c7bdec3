// node-cron schedules for analytics and automations, in the shop's time zone. Each run is claimed
// in the database (JobRun) first, so with several instances it happens once.
import cron, { type ScheduledTask } from 'node-cron';
import { dayKey } from '../core/hours.ts';
import type { ServiceDeps } from '../crm/context.ts';
import type { Services } from '../crm/services.ts';

export async function runOnce<T>(
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

/** The nightly analytics recompute (03:30) and the automation triggers (every 15 minutes). */
export function startSchedules(deps: ServiceDeps, services: Services): () => void {
  const timezone = deps.config.shop.timezone;
  const guard = (name: string, fn: () => Promise<unknown>) => () =>
    fn().catch((error: unknown) => deps.log.error({ err: error, job: name }, 'scheduled job failed'));
  const tasks: ScheduledTask[] = [
    cron.schedule(
      '30 3 * * *',
      guard('analytics', async () => {
        const result = await runOnce(deps, 'analytics', dayKey(deps.clock.now(), timezone), () =>
          services.analytics.recompute(),
        );
        if (result) deps.log.info(result, 'customer analytics recomputed');
      }),
      { timezone, name: 'analytics' },
    ),
    cron.schedule(
      '*/15 * * * *',
      guard('automations', async () => {
        const slot = new Date(Math.floor(deps.clock.now().getTime() / 900_000) * 900_000).toISOString();
        await runOnce(deps, 'automations', slot, () => services.automations.run());
      }),
      { timezone, name: 'automations' },
    ),
  ];
  return () => {
    for (const task of tasks) void task.stop();
  };
}
