import type { Attempt, AttemptKind } from '../model/attempt.js';
import type { RepoRef } from '../model/refs.js';

/** Everything a runtime needs to start one attempt; built by core, no platform types. */
export interface RunSpec {
  readonly attemptName: string;
  readonly repo: RepoRef;
  readonly issue: number;
  readonly kind: AttemptKind;
  readonly family: string;
  readonly slot: string;
  /** Branch the agent must work on, e.g. `issue-12`. */
  readonly branch: string;
  /** Seconds before the run is stopped as over deadline. */
  readonly deadlineSeconds: number;
  /** The model to run instead of the family's configured one (a saved config's choice). */
  readonly model?: string;
  /** Limits a saved config sets for the agent (passed to the runner as `limits`). */
  readonly maxTurns?: number;
  readonly budgetUsd?: number;
}

export type RunState = 'running' | 'succeeded' | 'failed' | 'missing';

export interface RunStatus {
  readonly attemptName: string;
  readonly state: RunState;
  readonly exitCode?: number;
  /** Why it failed, from the runtime's point of view (deadline, killed, exit code, OOM). */
  readonly reason?: string;
  /**
   * True when k3sc itself ended the run for a reason that is not the issue's fault (a clean
   * shutdown of k3sc): the engine puts the issue back without counting a failed attempt.
   */
  readonly interrupted?: boolean;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

/** Where agents run: child processes on this machine, or Kubernetes Jobs. */
export interface AgentRuntime {
  /** Starts the run; starting a name that already runs or ran is a no-op (idempotent). */
  start(spec: RunSpec, signal?: AbortSignal): Promise<void>;
  /** Stops a run; stopping one that has ended or never existed is a no-op. */
  stop(attemptName: string, signal?: AbortSignal): Promise<void>;
  status(attemptName: string, signal?: AbortSignal): Promise<RunStatus>;
  /** The run's output so far (whole, or the last `tailLines`); empty when none is kept. */
  readLog(attemptName: string, opts?: { tailLines?: number; signal?: AbortSignal }): Promise<string>;
  /** Streams output lines as they appear until the run ends or `signal` aborts. */
  followLog(attemptName: string, signal: AbortSignal): AsyncIterable<string>;
  /**
   * TTL cleanup: removes what the runtime keeps of an ended run (its files, its Job). A run
   * that is still going, or unknown, is left alone. Absent when the runtime keeps nothing.
   */
  discardEnded?(attemptName: string, signal?: AbortSignal): Promise<void>;
  /**
   * What starting `spec` would create, as text (e.g. a Job as YAML); absent when nothing is
   * created. `attempt` is the record the engine would store first, for runtimes whose store
   * writes it as an object too (Kubernetes: the AgentJob).
   */
  preview?(spec: RunSpec, attempt?: Attempt): Promise<string>;
}
