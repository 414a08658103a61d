import { GitHubTracker, type GitHubClient } from '../adapters/github/index.js';
import { MemoryStateStore } from '../adapters/store/memory-state-store.js';
import type { EngineDeps } from '../core/engine/deps.js';
import { Engine } from '../core/engine/engine.js';
import type { EngineEvent, EventSink } from '../core/engine/events.js';
import { WorkItemsCache } from '../core/engine/work-items-cache.js';
import { KeyedQueue } from '../core/keyed-queue.js';
import type { RepoRef } from '../core/model/refs.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/model/settings.js';
import { systemClock } from '../core/ports/clock.js';
import { silentLogger } from '../core/ports/logger.js';
import { MemoryRuntime } from '../testing/memory-runtime.js';
import { ALLOWED_AUTHOR } from './fixture.js';

/** Calls `listener` for every engine event; keeps none (so memory figures stay clean). */
export class EventTap implements EventSink {
  private readonly listeners = new Set<(e: EngineEvent) => void>();

  emit(event: EngineEvent): void {
    for (const l of [...this.listeners]) l(event);
  }

  /** Resolves with the first event that matches. */
  next(match: (e: EngineEvent) => boolean, signal?: AbortSignal): Promise<EngineEvent> {
    return new Promise((resolve, reject) => {
      const l = (e: EngineEvent): void => {
        if (!match(e)) return;
        this.listeners.delete(l);
        resolve(e);
      };
      this.listeners.add(l);
      signal?.addEventListener('abort', () => {
        this.listeners.delete(l);
        reject(new Error('aborted while waiting for an engine event'));
      });
    });
  }
}

export interface BenchEngine {
  readonly engine: Engine;
  readonly deps: EngineDeps;
  readonly tracker: GitHubTracker;
  readonly runtime: MemoryRuntime;
  readonly store: MemoryStateStore;
  readonly events: EventTap;
}

export interface BenchEngineOptions {
  readonly client: GitHubClient;
  readonly repos: readonly RepoRef[];
  readonly settings?: Partial<Omit<EngineSettings, 'repos' | 'allowedAuthors'>>;
}

/** The real Engine on a real GitHubTracker (one shared client), with in-memory store and runtime. */
export const buildBenchEngine = (opts: BenchEngineOptions): BenchEngine => {
  const tracker = new GitHubTracker({ client: opts.client });
  const runtime = new MemoryRuntime();
  const store = new MemoryStateStore();
  const events = new EventTap();
  const settings: EngineSettings = {
    ...DEFAULT_ENGINE_SETTINGS,
    ...opts.settings,
    repos: opts.repos,
    allowedAuthors: [ALLOWED_AUTHOR],
  };
  const deps: EngineDeps = {
    settings,
    tracker,
    store,
    runtime,
    clock: systemClock,
    logger: silentLogger,
    events,
    queue: new KeyedQueue(),
    cache: new WorkItemsCache(),
  };
  return { engine: new Engine(deps), deps, tracker, runtime, store, events };
};
