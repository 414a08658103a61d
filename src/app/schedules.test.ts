import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/ports/logger.js';
import { textReply, type Reply } from '../bot/reply.js';
import type { ChatOutbox, ChatTarget } from '../bot/transport.js';
import { scheduleJobs } from './schedule-jobs.js';
import { startSchedules, type ScheduleJob } from './schedules.js';

/** A ChatOutbox double that records what would be posted (H1 builds the real ones). */
const recordingOutbox = (platform: 'slack' | 'discord', failOn?: string) => {
  const posts: { target: ChatTarget; reply: Reply }[] = [];
  const outbox: ChatOutbox = {
    platform,
    post: (target, reply) => {
      if (target.channel === failOn) return Promise.reject(new Error('channel_not_found'));
      posts.push({ target, reply });
      return Promise.resolve({ channel: target.channel, id: String(posts.length) });
    },
    edit: () => Promise.resolve(),
    upload: () => Promise.resolve(),
  };
  return { outbox, posts };
};

let stop: (() => Promise<void>) | undefined;
beforeEach(() => void vi.useFakeTimers({ now: new Date('2026-03-02T08:59:30Z') }));
afterEach(async () => {
  await stop?.();
  stop = undefined;
  vi.useRealTimers();
});

describe('startSchedules (node-cron, fake timers)', () => {
  it('runs a job on each tick of its cron expression', async () => {
    let runs = 0;
    const job: ScheduleJob = { name: 'scan', cron: '* * * * *', run: () => Promise.resolve(void runs++) };
    stop = startSchedules([job], silentLogger);
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(runs).toBe(3);
  });

  it('skips ticks while the previous run is still going (noOverlap), then runs again', async () => {
    let runs = 0;
    let release = (): void => undefined;
    const job: ScheduleJob = {
      name: 'slow',
      cron: '* * * * *',
      run: () => {
        runs += 1;
        return new Promise<void>((resolve) => (release = resolve));
      },
    };
    stop = startSchedules([job], silentLogger);
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(runs).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toBe(2);
    release();
  });

  it('keeps the schedule going after a run fails', async () => {
    let runs = 0;
    const job: ScheduleJob = {
      name: 'flaky',
      cron: '* * * * *',
      run: () => (++runs === 1 ? Promise.reject(new Error('boom')) : Promise.resolve()),
    };
    stop = startSchedules([job], silentLogger);
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(runs).toBe(2);
  });
});

describe('scheduleJobs', () => {
  const base = {
    scan: () => undefined,
    expireLeases: () => Promise.resolve([]),
    digest: { targets: [], build: () => Promise.resolve(textReply('k3sc digest', '')) },
    logger: silentLogger,
  };

  it('makes no job when schedules is empty', () => {
    expect(scheduleJobs({ ...base, schedules: {} })).toEqual([]);
  });

  it('posts the daily digest to every configured channel through transport.outbox, past a failing one', async () => {
    const slack = recordingOutbox('slack', 'C-GONE');
    const discord = recordingOutbox('discord');
    let built = 0;
    const jobs = scheduleJobs({
      ...base,
      schedules: { digest: '0 9 * * *' },
      digest: {
        targets: [
          { outbox: slack.outbox, channels: ['C-GONE', 'C1'] },
          { outbox: discord.outbox, channels: ['200000000000000002'] },
        ],
        build: () => Promise.resolve(textReply('k3sc digest', `digest ${++built}`)),
      },
    });
    stop = startSchedules(jobs, silentLogger);
    await vi.advanceTimersByTimeAsync(60_000); // 09:00
    expect(slack.posts.map((p) => p.target)).toEqual([{ channel: 'C1' }]);
    expect(discord.posts.map((p) => p.target)).toEqual([{ channel: '200000000000000002' }]);
    expect(slack.posts[0]?.reply.title).toBe('k3sc digest');
    await vi.advanceTimersByTimeAsync(23 * 60 * 60_000); // not again until tomorrow 09:00
    expect(built).toBe(1);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(built).toBe(2);
  });

  it('wakes the engine for the scan and expires leases on their own schedules', async () => {
    let scans = 0;
    let sweeps = 0;
    const jobs = scheduleJobs({
      ...base,
      schedules: { scan: '*/15 * * * *', leaseExpiry: '*/5 * * * *' },
      scan: () => void scans++,
      expireLeases: () => Promise.resolve(void sweeps++),
    });
    stop = startSchedules(jobs, silentLogger);
    await vi.advanceTimersByTimeAsync(30 * 60_000 + 30_000); // 09:00 … 09:30
    expect(scans).toBe(3); // 09:00, 09:15, 09:30
    expect(sweeps).toBe(7); // every 5 minutes
  });
});
