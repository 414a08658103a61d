import type { KeyedQueue } from '../keyed-queue.js';
import type { EngineSettings } from '../model/settings.js';
import type { AgentRuntime } from '../ports/agent-runtime.js';
import type { Clock } from '../ports/clock.js';
import type { IssueTracker } from '../ports/issue-tracker.js';
import type { Logger } from '../ports/logger.js';
import type { StateStore } from '../ports/state-store.js';
import type { EventSink } from './events.js';
import type { WorkItemsCache } from './work-items-cache.js';

/** Everything a use case may touch. Built once by the composition root. */
export interface EngineDeps {
  readonly settings: EngineSettings;
  readonly tracker: IssueTracker;
  readonly store: StateStore;
  readonly runtime: AgentRuntime;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: EventSink;
  readonly queue: KeyedQueue;
  readonly cache: WorkItemsCache;
}

export const familiesOf = (deps: Pick<EngineDeps, 'settings'>): string[] =>
  deps.settings.families.map((f) => f.name);
