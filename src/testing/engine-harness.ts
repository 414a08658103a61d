import { MemoryStateStore } from '../adapters/store/memory-state-store.js';
import type { EngineDeps } from '../core/engine/deps.js';
import { Engine } from '../core/engine/engine.js';
import type { AlertKind, EngineEvent } from '../core/engine/events.js';
import { WorkItemsCache } from '../core/engine/work-items-cache.js';
import { KeyedQueue } from '../core/keyed-queue.js';
import type { Attempt } from '../core/model/attempt.js';
import type { DispatchState } from '../core/model/dispatch-state.js';
import type { StateStore } from '../core/ports/state-store.js';
import type { IssueRef, RepoRef } from '../core/model/refs.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/model/settings.js';
import { CrashSwitch, crashable, RUNTIME_EFFECTS, STORE_EFFECTS, TRACKER_EFFECTS } from './crash-switch.js';
import { FakeClock } from './engine-clock.js';
import type { CallEntry } from './memory-calls.js';
import { MemoryLogger } from './memory-logger.js';
import { MemoryRuntime } from './memory-runtime.js';
import { MemoryTracker, type Permission } from './memory-tracker.js';

export const HARNESS_REPO: RepoRef = { owner: 'o', name: 'r' };

export interface HarnessOptions {
  /** Configured repositories (default `o/r`); each is created in the tracker. */
  readonly repos?: readonly RepoRef[];
  /** Default `['alice']`. */
  readonly allowedAuthors?: readonly string[];
  readonly settings?: Partial<Omit<EngineSettings, 'repos' | 'allowedAuthors'>>;
  /** Start time of the fake clock. */
  readonly start?: string;
  /** The bot's permission in every repo (default `write`). */
  readonly botPermission?: Permission;
  /** This process's store (default: a shared harness's, else a new MemoryStateStore). */
  readonly store?: StateStore;
}

export interface SeedIssue {
  readonly title?: string;
  readonly author?: string;
  readonly labeledBy?: string;
  readonly repo?: RepoRef;
  readonly createdAt?: string;
  /** Labels besides `ready`. */
  readonly extraLabels?: readonly string[];
}

/** The harness's settings: defaults, then a shared harness's (a restart keeps them), then `opts`. */
const settingsOf = (opts: HarnessOptions, shared?: EngineSettings): EngineSettings => ({
  ...DEFAULT_ENGINE_SETTINGS,
  ...shared,
  ...opts.settings,
  repos: opts.repos ?? shared?.repos ?? [HARNESS_REPO],
  allowedAuthors: opts.allowedAuthors ?? shared?.allowedAuthors ?? ['alice'],
});

/** An Engine wired to in-memory ports, a fake clock and recorders, for end-to-end tests. */
export class EngineHarness {
  readonly clock: FakeClock;
  readonly tracker: MemoryTracker;
  readonly runtime: MemoryRuntime;
  readonly store: StateStore;
  readonly logger = new MemoryLogger();
  readonly events: EngineEvent[] = [];
  /** Tracker and runtime calls, in the order they happened. */
  readonly calls: CallEntry[];
  readonly settings: EngineSettings;
  readonly deps: EngineDeps;
  readonly engine: Engine;

  /** Fault injection for this process's ports (see `restart`); none for a plain harness. */
  readonly crash: CrashSwitch;

  constructor(opts: HarnessOptions = {}, shared?: EngineHarness, crash?: CrashSwitch) {
    this.settings = settingsOf(opts, shared?.settings);
    this.crash = crash ?? new CrashSwitch();
    this.calls = shared?.calls ?? [];
    this.clock = shared?.clock ?? new FakeClock(opts.start);
    const onCall = (e: CallEntry): void => void this.calls.push(e);
    this.tracker =
      shared?.tracker ??
      new MemoryTracker({
        clock: this.clock,
        onCall,
        ...(opts.botPermission ? { botPermission: opts.botPermission } : {}),
      });
    this.runtime = shared?.runtime ?? new MemoryRuntime({ clock: this.clock, onCall });
    this.store = opts.store ?? shared?.store ?? new MemoryStateStore();
    for (const r of this.settings.repos) this.tracker.addRepo(r);
    this.deps = {
      settings: this.settings,
      tracker: crashable(this.tracker, this.crash, 'tracker', TRACKER_EFFECTS),
      store: crashable(this.store, this.crash, 'store', STORE_EFFECTS),
      runtime: crashable(this.runtime, this.crash, 'runtime', RUNTIME_EFFECTS),
      clock: this.clock,
      logger: this.logger,
      events: { emit: (e) => void (shared ?? this).events.push(e) },
      queue: new KeyedQueue(),
      cache: new WorkItemsCache(),
    };
    this.engine = new Engine(this.deps);
  }

  /** A second replica: its own engine, queue and cache over the same store, tracker, runtime and clock, with the same settings. */
  replica(): EngineHarness {
    return new EngineHarness({}, this);
  }

  /**
   * A new k3sc process over the same GitHub, store and runtime, with cold caches (work items,
   * trust, queues). With `crashAt`, its `crashAt`-th side effect happens and then throws; in
   * `crash` mode the process is dead from then on (every port call throws).
   */
  restart(opts: { crashAt?: number; mode?: 'crash' | 'fail'; only?: string } = {}): EngineHarness {
    return new EngineHarness({}, this, new CrashSwitch(opts.crashAt, opts.mode, opts.only));
  }

  get repo(): RepoRef {
    return this.settings.repos[0] ?? HARNESS_REPO;
  }

  advance(ms: number): Date {
    return this.clock.advance(ms);
  }

  /** An issue by an allowed author with `ready` applied by `labeledBy` (default: the author). */
  seedReady(seed: SeedIssue = {}): IssueRef {
    return this.tracker.addIssue({
      repo: seed.repo ?? this.repo,
      title: seed.title ?? 'Add a widget',
      author: seed.author ?? this.settings.allowedAuthors[0] ?? 'alice',
      labels: ['ready', ...(seed.extraLabels ?? [])],
      ...(seed.labeledBy === undefined ? {} : { labeledBy: seed.labeledBy }),
      ...(seed.createdAt === undefined ? {} : { createdAt: seed.createdAt }),
    });
  }

  attempts(ref?: IssueRef): Promise<Attempt[]> {
    return this.store.listAttempts(ref ? { repo: ref.repo, issue: ref.number } : {});
  }

  state(): Promise<DispatchState> {
    return this.store.getDispatchState();
  }

  /** Alert messages raised so far, optionally of one kind. */
  alerts(kind?: AlertKind): string[] {
    return this.events.flatMap((e) =>
      e.type === 'alert' && (kind === undefined || e.kind === kind) ? [e.message] : [],
    );
  }

  /** Index of the first recorded call matching, or -1. */
  callIndex(port: string, method: string, match: (e: CallEntry) => boolean = () => true): number {
    return this.calls.findIndex((e) => e.port === port && e.method === method && match(e));
  }
}

export const createHarness = (opts: HarnessOptions = {}): EngineHarness => new EngineHarness(opts);
