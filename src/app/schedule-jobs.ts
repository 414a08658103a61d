import type { ChatOutbox, Transport } from '../bot/transport.js';
import type { Reply } from '../bot/reply.js';
import type { K3scConfig } from '../adapters/config/index.js';
import type { Logger } from '../core/ports/logger.js';
import type { ScheduleJob } from './schedules.js';

/** Where the digest goes: one platform's outbox and the channels configured for it. */
export interface DigestTarget {
  readonly outbox: ChatOutbox;
  readonly channels: readonly string[];
}

export interface ScheduleSources {
  readonly schedules: K3scConfig['schedules'];
  /** The safety-net scan: wake the engine for a full pass (as a webhook would). */
  readonly scan: () => void;
  /** Deletes expired review leases (and raises their `lease_expired` alerts). */
  readonly expireLeases: (signal: AbortSignal) => Promise<unknown>;
  readonly digest: {
    readonly targets: readonly DigestTarget[];
    readonly build: (signal: AbortSignal) => Promise<Reply>;
  };
  readonly logger: Logger;
}

/** Each chat transport that has an outbox, with its platform's configured channels. */
export const digestTargets = (config: K3scConfig, transports: readonly Transport[]): DigestTarget[] =>
  transports.flatMap((t) => {
    const outbox = t.outbox;
    if (!outbox) return [];
    const channels =
      outbox.platform === 'slack'
        ? (config.chat.slack?.channels ?? [])
        : outbox.platform === 'discord'
          ? (config.chat.discord?.channels ?? [])
          : [];
    return channels.length === 0 ? [] : [{ outbox, channels }];
  });

/** The jobs `schedules` asks for: `scan`, `lease_expiry`, and `digest` (one post per channel). */
export const scheduleJobs = (s: ScheduleSources): ScheduleJob[] => {
  const jobs: ScheduleJob[] = [];
  if (s.schedules.scan !== undefined)
    jobs.push({ name: 'scan', cron: s.schedules.scan, run: () => Promise.resolve(s.scan()) });
  if (s.schedules.leaseExpiry !== undefined)
    jobs.push({
      name: 'lease-expiry',
      cron: s.schedules.leaseExpiry,
      run: (signal) => s.expireLeases(signal).then(() => undefined),
    });
  if (s.schedules.digest !== undefined)
    jobs.push({
      name: 'digest',
      cron: s.schedules.digest,
      run: async (signal) => {
        if (s.digest.targets.length === 0) return void s.logger.warn({}, 'digest: no channel to post to');
        const reply = await s.digest.build(signal);
        for (const { outbox, channels } of s.digest.targets)
          for (const channel of channels)
            await outbox
              .post({ channel }, reply, signal)
              .catch((err: unknown) =>
                s.logger.warn({ err, channel, platform: outbox.platform }, 'digest: post failed'),
              );
      },
    });
  return jobs;
};
