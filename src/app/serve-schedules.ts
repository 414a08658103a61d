import type { Transport } from '../bot/transport.js';
import { digestReply } from '../bot/render/digest-reply.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { issueKey } from '../core/model/refs.js';
import { NEEDS_HUMAN } from '../core/domain/labels.js';
import { sweepLeases } from '../core/engine/sweep-leases.js';
import type { Logger } from '../core/ports/logger.js';
import type { BuiltFarm } from './build-farm.js';
import { digestTargets, scheduleJobs } from './schedule-jobs.js';
import type { LeaderGate } from './leader-gate.js';
import { leaderOnlyJobs } from './leader-side-effects.js';
import { startSchedules } from './schedules.js';

/**
 * serve's `schedules`: the safety-net scan wakes the engine, lease expiry sweeps the leases, and
 * the digest (over the last day) goes to each configured channel of every transport with an
 * outbox. Returns the stop function for serve's shutdown stack.
 */
export const startServeSchedules = (opts: {
  config: K3scConfig;
  built: BuiltFarm;
  transports: readonly Transport[];
  logger: Logger;
  /** With several replicas: ticks run on the leader only (ADR 0008). */
  gate?: LeaderGate | undefined;
}): (() => Promise<void>) => {
  const { built, config } = opts;
  const deps = built.deps;
  const log = opts.logger.child({ component: 'schedules' });
  const jobs = scheduleJobs({
    schedules: config.schedules,
    scan: () => built.engine.trigger(),
    expireLeases: (signal) => sweepLeases(deps, signal),
    digest: {
      targets: digestTargets(config, opts.transports),
      build: async (signal) =>
        digestReply({
          now: deps.clock.now(),
          attempts: await deps.store.listAttempts({}, signal),
          waiting: deps.cache
            .all(deps.settings.repos)
            .flatMap((r) => r.issues)
            .filter((i) => i.labels.includes(NEEDS_HUMAN))
            .map((i) => ({ issue: issueKey(i), title: i.title, url: i.url })),
        }),
    },
    logger: log,
  });
  return startSchedules(opts.gate ? leaderOnlyJobs(jobs, opts.gate, log) : jobs, log);
};
