import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../core/ports/logger.js';

/** One scheduled job: a cron expression (validated at config load) and what it does. */
export interface ScheduleJob {
  readonly name: string;
  readonly cron: string;
  readonly run: (signal: AbortSignal) => Promise<void>;
}

/**
 * Starts each job on node-cron with `noOverlap` (a tick that comes while the previous run is
 * still going is skipped, not queued). A failing run is logged and the schedule goes on. The
 * returned function stops every task and aborts the runs in flight.
 */
export const startSchedules = (jobs: readonly ScheduleJob[], logger: Logger): (() => Promise<void>) => {
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const tasks: ScheduledTask[] = jobs.map((job) => {
    const log = logger.child({ schedule: job.name });
    const task = createTask(
      job.cron,
      () => {
        const run = job.run(stopping.signal).then(
          () => log.debug({}, 'scheduled job done'),
          (err: unknown) => log.warn({ err }, 'scheduled job failed'),
        );
        inFlight.add(run);
        return run.finally(() => inFlight.delete(run));
      },
      { name: `k3sc-${job.name}`, noOverlap: true },
    );
    void task.start();
    log.info({ cron: job.cron }, 'schedule started');
    return task;
  });
  return async () => {
    stopping.abort();
    for (const t of tasks) await Promise.resolve(t.destroy());
    await Promise.allSettled([...inFlight]);
  };
};
