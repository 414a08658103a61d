import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isK3scError } from '../../core/errors.js';
import type { RunSpec } from '../../core/ports/agent-runtime.js';
import type { RunnerSpec } from '../../core/protocol/runner-spec.js';
import { tempDir, type TempDirs } from '../../runner/__tests__/git-fixture.js';
import { runSpec } from './__tests__/run-spec.js';
import { createLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from './local-runtime.js';

const TOKEN = 'ghp_runtime_secret_abcdef123456';

/** Fake runners: tiny node scripts that behave like the runner from the outside. */
const SCRIPTS = {
  ok: `const spec = JSON.parse(require('fs').readFileSync(process.argv[process.argv.indexOf('--spec') + 1], 'utf8'));
console.log('[k3sc] attempt ' + spec.attemptName + ' in ' + spec.workspace);
console.log('token is ' + process.env.GITHUB_TOKEN + ', key is ' + process.env.ANTHROPIC_API_KEY);
console.error('outside secret: ' + (process.env.K3SC_OUTSIDE_SECRET || 'absent'));
process.stdout.write('[result] {"ok":true}\\npartial last line');`,
  fail: `console.log('[result] {"ok":false,"reason":"agent made no changes"}'); process.exit(1);`,
  crash: `process.exit(3);`,
  wait: `console.log('waiting'); setInterval(() => console.log('tick'), 50);`,
} as const;
type Script = keyof typeof SCRIPTS;

let dirs: TempDirs;
const runtimes: LocalRuntime[] = [];
let exits: string[];

const buildSpec = (run: RunSpec, workspace: string): RunnerSpec => ({
  ...run,
  repo: { ...run.repo },
  workspace,
  github: { apiUrl: 'http://127.0.0.1:9' },
  agent: {
    command: ['claude', '-p', '{prompt}'],
    env: { ANTHROPIC_API_KEY: 'sk-ant-secret-0987654321', MODEL_HINT: 'fast' },
  },
  safety: { ghAllowed: ['pr view'], blockedCommitWords: [] },
});

const runtime = async (script: Script, over: Partial<LocalRuntimeOptions> = {}): Promise<LocalRuntime> => {
  const file = join(dirs.root, `${script}.cjs`);
  await writeFile(file, SCRIPTS[script], 'utf8');
  const rt = createLocalRuntime({
    dataDir: join(dirs.root, 'data'),
    runner: { command: [process.execPath, file] },
    buildSpec,
    env: { GITHUB_TOKEN: TOKEN },
    onExit: (name) => exits.push(name),
    killGraceMs: 300,
    pollMs: 20,
    baseEnv: { ...process.env, K3SC_OUTSIDE_SECRET: 'should-not-pass' },
    ...over,
  });
  runtimes.push(rt);
  return rt;
};

const waitEnd = async (rt: LocalRuntime, name: string): Promise<void> => {
  for await (const _ of rt.followLog(name, AbortSignal.timeout(20_000))) {
    // drain
  }
};

beforeEach(async () => {
  dirs = await tempDir('k3sc-rt-');
  exits = [];
});
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  await dirs.cleanup();
});

describe('local runtime: a run from start to end', () => {
  it('starts, streams the log, records success and tells onExit', async () => {
    const rt = await runtime('ok');
    await rt.start(runSpec('r1'));
    expect((await rt.status('r1')).state).not.toBe('missing');
    const lines: string[] = [];
    for await (const l of rt.followLog('r1', AbortSignal.timeout(20_000))) lines.push(l);
    expect(lines).toContain(`[k3sc] attempt r1 in ${join(dirs.root, 'data', 'workspaces', 'claude-a')}`);
    expect(lines).toContain('[result] {"ok":true}');
    expect(lines.at(-1)).toBe('partial last line');
    const s = await rt.status('r1');
    expect(s).toMatchObject({ attemptName: 'r1', state: 'succeeded', exitCode: 0 });
    expect(s.reason).toBeUndefined();
    // onExit comes from the run watcher's next look at exit.json, which may follow the log's end.
    await vi.waitFor(() => expect(exits).toEqual(['r1']), { timeout: 10_000 });
    // stdout and stderr interleave in arrival order, so only stdout's own order is fixed.
    expect(await rt.readLog('r1', { tailLines: 1 })).toBe('partial last line');
    const all = (await rt.readLog('r1')).split('\n');
    expect(all).toHaveLength(5);
    expect((await rt.readLog('r1', { tailLines: 4 })).split('\n')).toEqual(all.slice(1));
    const exit = JSON.parse(await readFile(join(dirs.root, 'data', 'runs', 'r1', 'exit.json'), 'utf8')) as {
      startedAt: string;
      finishedAt: string;
    };
    expect(exit).toMatchObject({ exitCode: 0, signal: null, reason: null });
    expect(Date.parse(exit.finishedAt)).toBeGreaterThanOrEqual(Date.parse(exit.startedAt));
  });

  it('keeps secrets out of output.log and spec.json, and k3sc-only variables out of the child', async () => {
    const rt = await runtime('ok');
    await rt.start(runSpec('r1'));
    await waitEnd(rt, 'r1');
    const log = await readFile(join(dirs.root, 'data', 'runs', 'r1', 'output.log'), 'utf8');
    expect(log).toContain('token is ***, key is ***');
    expect(log).toContain('outside secret: absent');
    expect(log).not.toContain(TOKEN);
    const spec = await readFile(join(dirs.root, 'data', 'runs', 'r1', 'spec.json'), 'utf8');
    expect(spec).not.toContain(TOKEN);
    expect(spec).not.toContain('sk-ant-secret');
    expect(JSON.parse(spec).agent.env).toEqual({ MODEL_HINT: 'fast' });
  });

  it('records a failure with the runner result reason, or the exit code', async () => {
    const rt = await runtime('fail');
    await rt.start(runSpec('f1'));
    await waitEnd(rt, 'f1');
    expect(await rt.status('f1')).toMatchObject({
      state: 'failed',
      exitCode: 1,
      reason: 'agent made no changes',
    });
    const crash = await runtime('crash');
    await crash.start(runSpec('c1', { slot: 'codex-a' }));
    await waitEnd(crash, 'c1');
    expect(await crash.status('c1')).toMatchObject({
      state: 'failed',
      exitCode: 3,
      reason: 'exited with code 3',
    });
  });

  it('treats a second start of a running or finished name as a no-op', async () => {
    const rt = await runtime('wait');
    await rt.start(runSpec('w1'));
    const pid = await readFile(join(dirs.root, 'data', 'runs', 'w1', 'pid'), 'utf8');
    await rt.start(runSpec('w1'));
    expect(await readFile(join(dirs.root, 'data', 'runs', 'w1', 'pid'), 'utf8')).toBe(pid);
    await rt.stop('w1');
    await rt.start(runSpec('w1'));
    expect(await rt.status('w1')).toMatchObject({ state: 'failed', reason: 'stopped' });
  });

  it('reports missing for an unknown name and rejects unsafe names', async () => {
    const rt = await runtime('ok');
    expect(await rt.status('nope')).toEqual({ attemptName: 'nope', state: 'missing' });
    expect(await rt.readLog('nope')).toBe('');
    await expect(rt.status('../etc')).rejects.toSatisfy((e) => isK3scError(e, 'bad_input'));
    await rt.stop('nope');
  });
});
