import type { LaunchPreference } from './launch-preference.js';
import type { RepoRef } from './refs.js';

export type AttemptKind = 'implement' | 'review';

/**
 * pending: record created (the lock), run not yet confirmed started.
 * running: the runtime has the run.
 * stopping: a person asked to stop it (`kill`, `reset`); the intent is durable, and every pass
 *   finishes it (stop the run, write the labels, comment) until the record becomes `killed`
 *   (or, for a reset, is deleted). Holds its slot and blocks dispatch and the orphan sweep.
 * succeeded/failed: the run ended and its result was applied to the issue.
 * killed: stopped by a person; never retried automatically.
 */
export type AttemptPhase = 'pending' | 'running' | 'stopping' | 'succeeded' | 'failed' | 'killed';

export const LIVE_PHASES: readonly AttemptPhase[] = ['pending', 'running', 'stopping'];

/** What a person asked for when they stopped an attempt; carried until it is fully applied. */
export interface StopIntent {
  /** `kill` ends in needs-human (or ready with requeue); `reset` in its target, history cleared. */
  readonly action: 'kill' | 'reset';
  readonly to: 'ready' | 'needs-review' | 'needs-human' | 'none';
  /** Display name of who asked. */
  readonly by: string;
  readonly at: string;
}

export const isLive = (a: Pick<Attempt, 'phase'>): boolean => LIVE_PHASES.includes(a.phase);

/** Token and cost figures for one attempt, summed from deduplicated `[usage]` lines. */
export interface UsageTotals {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly costUsd: number;
  readonly model?: string;
  /** Message ids already counted, so a repeated line is not counted twice. */
  readonly messageIds: readonly string[];
}

/** What the agent runner reported on its `[result]` line. */
export interface AgentResult {
  readonly ok: boolean;
  readonly summary?: string;
  readonly prNumber?: number;
  readonly prUrl?: string;
  readonly reason?: string;
  /** Set when the agent hit a usage limit; ISO time at which the family may run again. */
  readonly quotaResetAt?: string;
}

/** One run of one agent on one issue. Its name is deterministic; creating it is the lock. */
export interface Attempt {
  readonly name: string;
  readonly repo: RepoRef;
  readonly issue: number;
  /** 1-based number of this attempt in the issue's history. */
  readonly seq: number;
  readonly kind: AttemptKind;
  readonly family: string;
  /** Slot identity, `<family>-<letter>`; also the owner label on the issue. */
  readonly slot: string;
  readonly phase: AttemptPhase;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Who or what created it: `engine`, or the user behind a manual command. */
  readonly requestedBy: string;
  readonly reason?: string;
  readonly prNumber?: number;
  readonly usage?: UsageTotals;
  readonly result?: AgentResult;
  /** Last lines of output, kept for failure comments and `top`. */
  readonly lastLines?: readonly string[];
  /** Earliest time a retry may be dispatched after this attempt failed. */
  readonly retryAfter?: string;
  /** Set while (and after) a person's kill/reset is applied; see the `stopping` phase. */
  readonly stop?: StopIntent;
  /**
   * The run ended for a reason that is not the issue's fault (k3sc shut down, a recovery check
   * refused to relaunch it): it never counts toward the failure cap.
   */
  readonly interrupted?: boolean;
  /** The launch marker of the issue when it was claimed: model, deadline and limits of its run. */
  readonly launch?: LaunchPreference;
}
