import { join } from 'node:path';
import { openKubeStateStore } from '../adapters/kubernetes/store/index.js';
import { K3scError } from '../core/errors.js';
import type { AgentRuntime, RunSpec } from '../core/ports/agent-runtime.js';
import type { Logger } from '../core/ports/logger.js';
import type { StateStore } from '../core/ports/state-store.js';
import type { RunnerSpec } from '../core/protocol/runner-spec.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { createLocalRuntime, type CloseOptions } from '../adapters/local-runtime/index.js';
import { openLowdbStateStore } from '../adapters/store/lowdb-state-store.js';
import { buildKubernetesRuntime } from './build-kubernetes-runtime.js';
import type { LeaderGate } from './leader-gate.js';

/** A runtime as the composition root holds it: the port, plus how to close it. */
export interface BuiltRuntime {
  readonly runtime: AgentRuntime;
  /** With several replicas (Kubernetes), only the leader runs the engine's side effects. */
  readonly leader?: LeaderGate;
  close(opts: CloseOptions): Promise<void>;
}

export interface RuntimeInputs {
  readonly config: K3scConfig;
  readonly dataDir: string;
  readonly logger: Logger;
  /** The runner's argv (`--spec <file>` is appended). */
  readonly runnerCommand: readonly string[];
  readonly buildSpec: (run: RunSpec, workspace: string) => RunnerSpec;
  /** Given to every run, e.g. GITHUB_TOKEN. */
  readonly env: Readonly<Record<string, string>>;
  readonly onExit: (attemptName: string) => void;
  /** A serving k3sc watches its Jobs and campaigns for leadership; a one-shot CLI does neither. */
  readonly serving?: boolean;
  /** Leader election timings and identity (tests, benches); production uses 15 s / 10 s / 2 s. */
  readonly leaderElection?: LeaderElectionTuning;
}

/** What a caller may tune of the leader election (`runtime.kind: kubernetes`, serving only). */
export interface LeaderElectionTuning {
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly identity?: string;
}

/** Both runtimes exist; kept as the one place a future kind would be refused. */
export const assertRuntimeSupported = (config: K3scConfig): void => {
  if (config.runtime.kind !== 'local' && config.runtime.kind !== 'kubernetes')
    throw new K3scError('config_invalid', `unknown runtime.kind ${String(config.runtime.kind)}`);
};

/** The runtime `runtime.kind` names; the choice is made here only. */
export const buildRuntime = (i: RuntimeInputs): BuiltRuntime => {
  assertRuntimeSupported(i.config);
  if (i.config.runtime.kind === 'kubernetes') return buildKubernetesRuntime(i);
  const runtime = createLocalRuntime({
    dataDir: i.dataDir,
    runner: { command: [...i.runnerCommand] },
    env: i.env,
    logger: i.logger,
    onExit: i.onExit,
    buildSpec: i.buildSpec,
  });
  return { runtime, close: (opts) => runtime.close(opts) };
};

/**
 * The state store that goes with the runtime: one lowdb file (ADR 0002). THE place the store
 * is chosen: for `runtime.kind: kubernetes` the custom-resource store (KubeStateStore, issue 7)
 * replaces lowdb here once it lands; until then the Kubernetes runtime keeps its records in
 * the lowdb file of the replica's data dir (fine for one replica; several need the CRD store).
 */
export const openStateStore = async (
  config: K3scConfig,
  dataDir: string,
  logger: Logger,
): Promise<StateStore & { close(): Promise<void> }> => {
  assertRuntimeSupported(config);
  if (config.runtime.kind === 'kubernetes') {
    // Every durable record in custom resources (ADR 0006): every replica and CLI sees the same truth.
    const k = config.runtime.kubernetes;
    return openKubeStateStore({
      namespace: k.namespace,
      ...(k.kubeconfig === undefined ? {} : { kubeconfig: k.kubeconfig }),
      ...(k.context === undefined ? {} : { context: k.context }),
    });
  }
  return openLowdbStateStore({ path: join(dataDir, 'state.json'), logger });
};
