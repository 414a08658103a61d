import { idleScanDelay } from '../domain/backoff.js';
import { repoKey, sameRepo, type RepoRef } from '../model/refs.js';
import { TrustChecker } from './check-trust.js';
import type { EngineDeps } from './deps.js';
import type { QueueEntry } from '../domain/plan-dispatch.js';
import { dispatchPass, type DispatchReport } from './dispatch.js';
import { reconcileAttempts } from './reconcile-attempts.js';

/**
 * Runs dispatch passes one at a time: on a timer with idle back-off (min doubling to max,
 * reset by work), and at once when a webhook, a finished run or `dispatch now` wakes it.
 */
export class Engine {
  /** Trust verdicts (public so a one-shot CLI can snapshot and restore them between runs). */
  readonly trust = new TrustChecker();
  private chain: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;
  private readonly pendingRepos = new Set<string>();
  private fullScanDue = true;
  /** A trigger (webhook, event, command) arrived: the pass it causes resets the idle back-off. */
  private triggered = false;
  /** The queue per repository from the latest pass that covered it (partial passes cover one). */
  private readonly queueByRepo = new Map<string, QueueEntry[]>();

  constructor(readonly deps: EngineDeps) {}

  /** One pass, serialized with every other pass of this engine. */
  pass(
    opts: { repos?: readonly RepoRef[]; dryRun?: boolean; requestedBy?: string; signal?: AbortSignal } = {},
  ): Promise<DispatchReport> {
    const run = this.chain.then(async () => {
      const report = await dispatchPass(this.deps, this.trust, opts);
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
    const run = this.chain.then(() => reconcileAttempts(this.deps));
    this.chain = run.catch(() => undefined);
    void run.then(
      () => this.trigger(),
      () => undefined,
    );
  }

  /** Resets the idle back-off (work was found, or a person asked). */
  async resetIdle(signal?: AbortSignal): Promise<void> {
    await this.deps.store.updateDispatchState((s) => ({ ...s, idleScans: 0 }), signal);
  }

  async nextDelayMs(signal?: AbortSignal): Promise<number> {
    const state = await this.deps.store.getDispatchState(signal);
    const { minIntervalMs, maxIntervalMs } = this.deps.settings.scan;
    // After the first idle scan wait min_interval, then double: 2m, 4m, 8m … capped at max.
    return idleScanDelay(Math.max(state.idleScans - 1, 0), minIntervalMs, maxIntervalMs);
  }

  /** The scan loop; returns when `signal` aborts. Errors are logged, never fatal. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const partial = !this.fullScanDue && this.pendingRepos.size > 0;
      const repos = partial ? this.takePendingRepos() : undefined;
      if (!partial) this.pendingRepos.clear();
      this.fullScanDue = false;
      const wasTriggered = this.triggered;
      this.triggered = false;
      try {
        // The pass itself is not aborted: on shutdown it drains, so no write is cut in half.
        await this.pass(repos ? { repos } : {});
      } catch (err) {
        if (signal.aborted) break;
        this.deps.logger.error({ err }, 'dispatch pass failed');
      }
      if (signal.aborted) break;
      if (wasTriggered) await this.resetIdle(signal).catch(() => undefined);
      if (this.pendingRepos.size > 0 || this.fullScanDue) continue;
      const delay = await this.nextDelayMs(signal).catch(() => this.deps.settings.scan.minIntervalMs);
      const at = new Date(this.deps.clock.now().getTime() + delay).toISOString();
      await this.deps.store
        .updateDispatchState((s) => ({ ...s, nextScanAt: at }), signal)
        .catch(() => undefined);
      await this.sleep(delay, signal);
    }
  }

  private takePendingRepos(): RepoRef[] {
    const keys = [...this.pendingRepos];
    this.pendingRepos.clear();
    return this.deps.settings.repos.filter((r) => keys.includes(repoKey(r)));
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
      // A trigger that arrived between the loop's check and now must not wait for the timer.
      if (this.pendingRepos.size > 0 || this.fullScanDue || signal.aborted) done();
    });
  }
}
