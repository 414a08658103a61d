/** The spec now lives in core (`src/core/protocol/runner-spec.ts`); this re-export keeps old importers compiling. */
export { parseRunnerSpec, runnerSpecSchema, type RunnerSpec } from '../core/protocol/runner-spec.js';
