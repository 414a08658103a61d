import type { Clock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { RunPaths } from './run-files.js';
import { readDiskState } from './run-status.js';
import { settleDeadRun } from './stop-run.js';

export interface RunWatcherOptions {
  readonly pollMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called once per watched run, after its exit record exists. */
  readonly onEnded: (attemptName: string) => void;
}

/**
 * Watches the runs an instance is responsible for (the ones it started and the ones it
 * adopted from an earlier k3sc) by polling their files, and reports each end once. A run
 * whose supervisor died without a record is settled (recorded as failed) here.
 */
export class RunWatcher {
  private readonly runs = new Map<string, RunPaths>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private closed = false;

  constructor(private readonly opts: RunWatcherOptions) {}

  /** Starts watching (no-op when already watched or closed); `nudge` asks for an early look. */
  watch(attemptName: string, paths: RunPaths, nudge?: Promise<void>): void {
    if (this.closed || this.runs.has(attemptName)) return;
    this.runs.set(attemptName, paths);
    this.timer ??= setInterval(() => void this.tick(), this.opts.pollMs);
    this.timer.unref();
    void nudge?.then(() => this.check(attemptName));
  }

  has(attemptName: string): boolean {
    return this.runs.has(attemptName);
  }

  names(): string[] {
    return [...this.runs.keys()];
  }

  /** Stops watching everything; no more onEnded calls. */
  close(): void {
    this.closed = true;
    this.runs.clear();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const name of this.names()) await this.check(name);
    } finally {
      this.ticking = false;
    }
    if (this.runs.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async check(attemptName: string): Promise<void> {
    const paths = this.runs.get(attemptName);
    if (paths === undefined) return;
    try {
      const disk = await readDiskState(paths);
      if (disk.kind === 'running' || disk.kind === 'unstarted') return;
      if (disk.kind === 'dead') await settleDeadRun(paths, disk.start, this.opts.clock);
    } catch (err) {
      this.opts.logger.warn({ err, attempt: attemptName }, 'cannot read the run files; will look again');
      return;
    }
    if (!this.runs.delete(attemptName)) return;
    try {
      this.opts.onEnded(attemptName);
    } catch (err) {
      this.opts.logger.error({ err, attempt: attemptName }, 'onExit handler failed');
    }
  }
}
