/**
 * Test helper run as its own process: plays a k3sc that starts one run and is then killed,
 * so tests can observe a real restart. argv[2] is a JSON config.
 */
import type { RunnerSpec } from '../../../runner/runner-spec.js';
import { createLocalRuntime } from '../local-runtime.js';

interface Config {
  readonly dataDir: string;
  readonly command: string[];
  readonly attemptName: string;
  readonly slot: string;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as Config;
const rt = createLocalRuntime({
  dataDir: cfg.dataDir,
  runner: { command: cfg.command },
  env: {},
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
await rt.start({ ...run, attemptName: cfg.attemptName, slot: cfg.slot });
process.stdout.write('started\n');
setInterval(() => undefined, 1000);
