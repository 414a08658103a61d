/**
 * Test helper run as its own process: plays a k3sc that starts runs and is then killed (or,
 * with `onSigterm`, closes its runtime on SIGTERM and exits, as `serve` does), so tests can
 * observe a real restart. argv[2] is a JSON config.
 */
import type { RunnerSpec } from '../../../core/protocol/runner-spec.js';
import { createLocalRuntime } from '../local-runtime.js';

interface Config {
  readonly dataDir: string;
  readonly command: string[];
  readonly supervisor: string[];
  readonly runs: { attemptName: string; slot: string }[];
  readonly onSigterm?: 'stop' | 'keep';
  readonly killGraceMs?: number;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as Config;
const rt = createLocalRuntime({
  dataDir: cfg.dataDir,
  runner: { command: cfg.command },
  supervisor: { command: cfg.supervisor },
  env: {},
  pollMs: 20,
  ...(cfg.killGraceMs === undefined ? {} : { killGraceMs: cfg.killGraceMs }),
  buildSpec: (run, workspace): RunnerSpec => ({
    ...run,
    workspace,
    github: { apiUrl: 'http://127.0.0.1:9' },
    agent: { command: ['agent'] },
    safety: { ghAllowed: [], blockedCommitWords: [] },
  }),
});
const run = {
  repo: { owner: 'acme', name: 'widgets' },
  issue: 1,
  kind: 'implement',
  family: 'claude',
  branch: 'issue-1',
  deadlineSeconds: 600,
} as const;
const mode = cfg.onSigterm;
if (mode !== undefined) {
  process.once('SIGTERM', () => {
    void rt.close({ runs: mode }).then(() => process.stdout.write('closed\n'));
  });
}
for (const r of cfg.runs) await rt.start({ ...run, ...r });
process.stdout.write('started\n');
// Keeps the process alive, unref'd like everything else, so a clean close lets it exit.
const keepAlive = setInterval(() => undefined, 1000);
if (mode !== undefined) process.once('SIGTERM', () => clearInterval(keepAlive));
