import { K3scError, NotFoundError } from '../core/errors.js';
import type { AgentRuntime, RunSpec, RunState, RunStatus } from '../core/ports/agent-runtime.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import { CallRecorder, type CallListener } from './memory-calls.js';
import { followLines } from './memory-follow.js';

export type RuntimeMethod = keyof AgentRuntime;

/** One run as the memory runtime keeps it; tests read copies through `run(name)`. */
export interface MemoryRun {
  readonly spec: RunSpec;
  readonly state: Exclude<RunState, 'missing'>;
  readonly log: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly interrupted?: boolean;
}

export interface RunEnd {
  readonly exitCode: number;
  /** Output appended before the run ends; may carry `[usage] {json}` and `[result] {json}` lines. */
  readonly log?: string;
  readonly reason?: string;
}

export interface MemoryRuntimeOptions {
  readonly clock?: Clock;
  readonly onCall?: CallListener;
}

/**
 * AgentRuntime in memory. `start` creates a running run (a no-op for a name it already has),
 * tests end runs with `finish`, `stop` fails a running run with reason `stopped`, and
 * `forget` makes a run vanish as if its Job was deleted.
 */
export class MemoryRuntime implements AgentRuntime {
  private readonly clock: Clock;
  private readonly records = new Map<string, MemoryRun>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly calls: CallRecorder<RuntimeMethod>;
  /** Runs actually created (repeated starts of one name count once). */
  starts = 0;

  constructor(opts: MemoryRuntimeOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.calls = new CallRecorder('runtime', opts.onCall);
  }

  // ---- test controls ----

  /** Appends output to a running run (followers see it at once). */
  write(name: string, text: string): void {
    const run = this.mustRun(name);
    if (run.state !== 'running') throw new K3scError('conflict', `run ${name} has already ended`);
    this.update(name, { ...run, log: run.log + text });
  }

  /** Ends a running run: exit code 0 succeeds, anything else fails. */
  finish(name: string, end: RunEnd): void {
    const run = this.mustRun(name);
    if (run.state !== 'running')
      throw new K3scError('conflict', `run ${name} has already ended (${run.state})`);
    const failed = end.exitCode !== 0;
    const reason = end.reason ?? (failed ? `exit code ${end.exitCode}` : undefined);
    this.update(name, {
      ...run,
      state: failed ? 'failed' : 'succeeded',
      log: run.log + (end.log ?? ''),
      exitCode: end.exitCode,
      finishedAt: this.clock.now().toISOString(),
      ...(reason === undefined ? {} : { reason }),
    });
  }

  /** k3sc itself ends the run (a clean shutdown): failed, `interrupted`, never the fault. */
  interrupt(name: string, reason = 'stopped (k3sc shut down)'): void {
    this.finish(name, { exitCode: 143, reason });
    const run = this.mustRun(name);
    this.update(name, { ...run, interrupted: true });
  }

  /** The run disappears (Job deleted, machine lost): status becomes `missing`. */
  forget(name: string): void {
    this.records.delete(name);
    this.notify(name);
  }

  run(name: string): MemoryRun | undefined {
    const r = this.records.get(name);
    return r ? { ...r, spec: { ...r.spec } } : undefined;
  }

  runs(): MemoryRun[] {
    return [...this.records.keys()].map((n) => this.run(n) as MemoryRun);
  }

  /** Names of runs still running. */
  running(): string[] {
    return [...this.records.values()].filter((r) => r.state === 'running').map((r) => r.spec.attemptName);
  }

  count(method: RuntimeMethod): number {
    return this.calls.count(method);
  }

  failNext(method: RuntimeMethod, error?: Error): void {
    this.calls.failNext(method, error);
  }

  // ---- AgentRuntime ----

  start(spec: RunSpec, signal?: AbortSignal): Promise<void> {
    return this.calls.wrap(
      'start',
      spec.attemptName,
      `${spec.slot} ${spec.kind} ${spec.branch}`,
      signal,
      () => {
        if (this.records.has(spec.attemptName)) return;
        this.starts++;
        this.records.set(spec.attemptName, {
          spec: { ...spec },
          state: 'running',
          log: '',
          startedAt: this.clock.now().toISOString(),
        });
      },
    );
  }

  /** TTL cleanup: an ended run is dropped (status `missing`); a running one stays. */
  discardEnded(attemptName: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const run = this.records.get(attemptName);
    if (run !== undefined && run.state !== 'running') this.records.delete(attemptName);
    return Promise.resolve();
  }

  stop(attemptName: string, signal?: AbortSignal): Promise<void> {
    return this.calls.wrap('stop', attemptName, '', signal, () => {
      const run = this.records.get(attemptName);
      if (run?.state !== 'running') return;
      this.update(attemptName, {
        ...run,
        state: 'failed',
        reason: 'stopped',
        finishedAt: this.clock.now().toISOString(),
      });
    });
  }

  status(attemptName: string, signal?: AbortSignal): Promise<RunStatus> {
    return this.calls.wrap('status', attemptName, '', signal, () => {
      const r = this.records.get(attemptName);
      if (!r) return { attemptName, state: 'missing' as const };
      return {
        attemptName,
        state: r.state,
        startedAt: r.startedAt,
        ...(r.finishedAt === undefined ? {} : { finishedAt: r.finishedAt }),
        ...(r.exitCode === undefined ? {} : { exitCode: r.exitCode }),
        ...(r.reason === undefined ? {} : { reason: r.reason }),
        ...(r.interrupted === true ? { interrupted: true } : {}),
      };
    });
  }

  readLog(attemptName: string, opts: { tailLines?: number; signal?: AbortSignal } = {}): Promise<string> {
    return this.calls.wrap('readLog', attemptName, '', opts.signal, () => {
      const log = this.records.get(attemptName)?.log ?? '';
      if (opts.tailLines === undefined) return log;
      const lines = log.replace(/\n$/, '').split('\n');
      return opts.tailLines <= 0 ? '' : lines.slice(-opts.tailLines).join('\n');
    });
  }

  followLog(attemptName: string, signal: AbortSignal): AsyncIterable<string> {
    return followLines({
      onStart: () => this.calls.enter('followLog', attemptName, '', signal),
      read: () => {
        const r = this.records.get(attemptName);
        return { text: r?.log ?? '', ended: r?.state !== 'running' };
      },
      subscribe: (fn) => {
        const set = this.listeners.get(attemptName) ?? new Set();
        set.add(fn);
        this.listeners.set(attemptName, set);
        return () => set.delete(fn);
      },
      signal,
    });
  }

  // ---- internals ----

  private mustRun(name: string): MemoryRun {
    const run = this.records.get(name);
    if (!run) throw new NotFoundError(`no run named ${name}`);
    return run;
  }

  private update(name: string, run: MemoryRun): void {
    this.records.set(name, run);
    this.notify(name);
  }

  private notify(name: string): void {
    for (const fn of [...(this.listeners.get(name) ?? [])]) fn();
  }
}
