import { idleScanDelay } from '../domain/backoff.js';
import type { Logger } from '../ports/logger.js';
import { nextDueAt } from '../domain/next-due.js';
import { repoKey, sameRepo, type RepoRef } from '../model/refs.js';
import { TrustChecker } from './check-trust.js';
import type { EngineDeps } from './deps.js';
import type { QueueEntry } from '../domain/plan-dispatch.js';
import { dispatchPass, type DispatchReport } from './dispatch.js';
import { reconcileAttempts } from './reconcile-attempts.js';
import { StuckAttempts } from './stuck-attempts.js';

/** Node's timers overflow past 2^31-1 ms (about 24.8 days) and then fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const DUE_SLACK_MS = 50;
/** How long a pass may still talk to GitHub and the store after shutdown began. */
const SHUTDOWN_GRACE_MS = 3_000;

/** A signal that aborts `ms` after `parent` does (the timer only runs once `parent` aborted). */
const graceAfter = (parent: AbortSignal, ms: number): { signal: AbortSignal; dispose(): void } => {
  const ctl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    timer = setTimeout(() => ctl.abort(parent.reason), ms);
  };
  if (parent.aborted) arm();
  else parent.addEventListener('abort', arm, { once: true });
  return {
    signal: ctl.signal,
    dispose: () => {
      parent.removeEventListener('abort', arm);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
};

/**
 * Runs dispatch passes one at a time: on a timer with idle back-off (min doubling to max,
 * reset by work), and at once when a webhook, a finished run or `dispatch now` wakes it.
 */
export class Engine {
  /** Trust verdicts (public so a one-shot CLI can snapshot and restore them between runs). */
  readonly trust = new TrustChecker();
  private readonly stuck = new StuckAttempts();
  private chain: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;
  private readonly pendingRepos = new Set<string>();
  private fullScanDue = true;
  /** A trigger (webhook, event, command) arrived: the pass it causes resets the idle back-off. */
  private triggered = false;
  /** Set by resetIdle: the sleeping loop recomputes its delay without scanning. */
  private rearm = false;
  private timerFired = false;
  /** Numbers the passes of this process, for their correlation id. */
  private passes = 0;
  /** The queue per repository from the latest pass that covered it (partial passes cover one). */
  private readonly queueByRepo = new Map<string, QueueEntry[]>();

  constructor(readonly deps: EngineDeps) {}

  /** One pass, serialized with every other pass of this engine. */
  pass(
    opts: {
      repos?: readonly RepoRef[];
      dryRun?: boolean;
      requestedBy?: string;
      signal?: AbortSignal;
      /** Logs of this pass go here (a child logger with the caller's correlation id). */
      logger?: Logger;
      /** When it aborts (shutdown), the pass starts no new attempt. */
      drain?: AbortSignal;
    } = {},
  ): Promise<DispatchReport> {
    const logger = opts.logger ?? this.deps.logger.child({ pass: `p${++this.passes}` });
    const deps = { ...this.deps, logger };
    const run = this.chain.then(async () => {
      const report = await dispatchPass(deps, this.trust, { ...opts, stuck: this.stuck });
      for (const repo of opts.repos ?? this.deps.settings.repos)
        this.queueByRepo.set(
          repoKey(repo).toLowerCase(),
          report.entries.filter((e) => sameRepo(e.ref.repo, repo)),
        );
      return report;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every pass and reconcile already queued has finished (for a clean shutdown). */
  drained(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  /** True once a pass has run (the queue and the cache are filled, even when nothing is queued). */
  get scanned(): boolean {
    return this.queueByRepo.size > 0;
  }

  /** The whole queue, in dispatch order, merged from the latest pass of every repository. */
  queue(): QueueEntry[] {
    const rank = (e: QueueEntry): number => (e.stage === 'needs-review' ? 0 : 1);
    return [...this.queueByRepo.values()]
      .flat()
      .sort(
        (a, b) => rank(a) - rank(b) || a.createdAt.localeCompare(b.createdAt) || a.ref.number - b.ref.number,
      );
  }

  /** A webhook or event says `repo` changed: scan it now (all repos when omitted). */
  trigger(repo?: RepoRef): void {
    if (repo) {
      const known = this.deps.settings.repos.find((r) => sameRepo(r, repo));
      if (!known) return;
      this.pendingRepos.add(repoKey(known));
    } else {
      this.fullScanDue = true;
    }
    this.triggered = true;
    this.wake?.();
  }

  /** A run ended: apply it at once instead of waiting for the next scan. */
  runExited(): void {
    const run = this.chain.then(() => reconcileAttempts(this.deps, undefined, this.stuck));
    this.chain = run.catch(() => undefined);
    void run.then(
      () => this.trigger(),
      () => undefined,
    );
  }

  /** Resets the idle back-off (work was found, or a person asked); a sleeping loop re-arms its timer. */
  async resetIdle(signal?: AbortSignal): Promise<void> {
    await this.deps.store.updateDispatchState((s) => ({ ...s, idleScans: 0 }), signal);
    this.rearm = true;
    this.wake?.();
  }

  /**
   * How long the loop sleeps: the idle back-off (after the first idle scan min_interval, then
   * doubling up to max), but never past the next due time (a retry, a quota reset, a lease
   * expiry, an orphan's grace end), so those happen on time and not at the next poll.
   */
  async nextDelayMs(signal?: AbortSignal): Promise<number> {
    const [state, attempts, leases] = await Promise.all([
      this.deps.store.getDispatchState(signal),
      this.deps.store.listAttempts({}, signal),
      this.deps.store.listLeases(signal),
    ]);
    const { minIntervalMs, maxIntervalMs } = this.deps.settings.scan;
    const idle = idleScanDelay(Math.max(state.idleScans - 1, 0), minIntervalMs, maxIntervalMs);
    const now = this.deps.clock.now();
    const due = nextDueAt({ now, attempts, leases, state, orphanGraceMs: this.deps.settings.orphanGraceMs });
    if (due === undefined) return idle;
    // A little past the due time, so the pass that wakes sees it as due.
    return Math.min(idle, due.getTime() - now.getTime() + DUE_SLACK_MS);
  }

  /** The scan loop; returns when `signal` aborts. Errors are logged, never fatal. */
  async run(signal: AbortSignal): Promise<void> {
    let scan = true;
    while (!signal.aborted) {
      if (scan) {
        await this.loopPass(signal);
        if (signal.aborted) break;
        if (this.pendingRepos.size > 0 || this.fullScanDue) continue;
      }
      // false when woken only to re-arm the timer (the idle back-off was reset): no pass needed.
      scan = await this.sleepUntilDue(signal);
    }
  }

  private async loopPass(signal: AbortSignal): Promise<void> {
    const partial = !this.fullScanDue && this.pendingRepos.size > 0;
    const repos = partial ? this.takePendingRepos() : undefined;
    if (!partial) this.pendingRepos.clear();
    this.fullScanDue = false;
    const wasTriggered = this.triggered;
    this.triggered = false;
    // On shutdown the pass starts nothing new, and its GitHub and store calls are cut off after
    // a short grace: every flow converges on the next start (ADR 0004), so none is left unsafe.
    const io = graceAfter(signal, SHUTDOWN_GRACE_MS);
    try {
      await this.pass({ ...(repos ? { repos } : {}), drain: signal, signal: io.signal });
    } catch (err) {
      if (signal.aborted) return;
      this.deps.logger.error({ err }, 'dispatch pass failed');
    } finally {
      io.dispose();
    }
    if (wasTriggered && !signal.aborted) await this.resetIdle(signal).catch(() => undefined);
  }

  /** Sleeps until the next scan is due; false when woken only to re-arm the timer. */
  private async sleepUntilDue(signal: AbortSignal): Promise<boolean> {
    this.rearm = false;
    const delay = await this.nextDelayMs(signal).catch(() => this.deps.settings.scan.minIntervalMs);
    const at = new Date(this.deps.clock.now().getTime() + delay).toISOString();
    await this.deps.store
      .updateDispatchState((s) => ({ ...s, nextScanAt: at }), signal)
      .catch(() => undefined);
    await this.sleep(delay, signal);
    const onlyRearm = this.rearm && this.pendingRepos.size === 0 && !this.fullScanDue && !this.timerFired;
    this.rearm = false;
    return !onlyRearm;
  }

  private takePendingRepos(): RepoRef[] {
    const keys = [...this.pendingRepos];
    this.pendingRepos.clear();
    return this.deps.settings.repos.filter((r) => keys.includes(repoKey(r)));
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.timerFired = false;
    return new Promise((resolve) => {
      const fired = (): void => {
        this.timerFired = true;
        done();
      };
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(fired, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
      // A trigger that arrived between the loop's check and now must not wait for the timer.
      if (this.pendingRepos.size > 0 || this.fullScanDue || signal.aborted) done();
    });
  }
}
