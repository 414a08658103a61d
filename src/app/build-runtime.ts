import { join } from 'node:path';
import { K3scError } from '../core/errors.js';
import type { AgentRuntime, RunSpec } from '../core/ports/agent-runtime.js';
import type { Logger } from '../core/ports/logger.js';
import type { StateStore } from '../core/ports/state-store.js';
import type { RunnerSpec } from '../core/protocol/runner-spec.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { createLocalRuntime, type CloseOptions } from '../adapters/local-runtime/index.js';
import { openLowdbStateStore } from '../adapters/store/lowdb-state-store.js';

/** A runtime as the composition root holds it: the port, plus how to close it. */
export interface BuiltRuntime {
  readonly runtime: AgentRuntime;
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
}

const notYet = (what: string): K3scError =>
  new K3scError(
    'config_invalid',
    `runtime.kind: kubernetes is not supported yet (${what}); use runtime.kind: local (the default) for now`,
  );

/** Refuses a runtime that does not exist yet, before anything is opened or asked of GitHub. */
export const assertRuntimeSupported = (config: K3scConfig): void => {
  if (config.runtime.kind !== 'local') throw notYet('agents as Jobs, records as custom resources');
};

/** The runtime `runtime.kind` names. Only `local` exists so far; the choice is made here only. */
export const buildRuntime = (i: RuntimeInputs): BuiltRuntime => {
  assertRuntimeSupported(i.config);
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

/** The state store that goes with the runtime: one lowdb file locally (ADR 0002). */
export const openStateStore = async (
  config: K3scConfig,
  dataDir: string,
  logger: Logger,
): Promise<StateStore & { close(): Promise<void> }> => {
  assertRuntimeSupported(config);
  return openLowdbStateStore({ path: join(dataDir, 'state.json'), logger });
};
