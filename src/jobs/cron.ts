// node-cron wiring shared by the jobs: each job is a `runOnce(now)` (what tests call with a
// ManualClock) that node-cron triggers on a schedule. Overlapping runs are skipped, and every run
// claims its work from the database, so several instances can run the same schedule safely.
import { type ScheduledTask, schedule } from 'node-cron';
import type { Clock } from '../kernel/clock.ts';
import type { Logger } from '../kernel/logger.ts';

export interface Job {
  name: string;
  /** node-cron expression, in the shop's time zone. */
  cron: string;
  runOnce(now: Date): Promise<unknown>;
}

export class JobScheduler {
  private readonly tasks: ScheduledTask[] = [];

  constructor(
    private readonly deps: { clock: Clock; log: Logger; timezone: string },
    private readonly jobs: Job[],
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const task = schedule(
        job.cron,
        async () => {
          try {
            await job.runOnce(this.deps.clock.now());
          } catch (error) {
            this.deps.log.error({ err: error, job: job.name }, 'job failed');
          }
        },
        { timezone: this.deps.timezone, name: job.name, noOverlap: true },
      );
      this.tasks.push(task);
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks.splice(0)) await task.stop();
  }
}
