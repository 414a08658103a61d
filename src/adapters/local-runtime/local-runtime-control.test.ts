import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isK3scError } from '../../core/errors.js';
import type { RunSpec } from '../../core/ports/agent-runtime.js';
import type { RunnerSpec } from '../../core/protocol/runner-spec.js';
import { tempDir, type TempDirs } from '../../runner/__tests__/git-fixture.js';
import { isRunAlive } from './process-alive.js';
import { runSpec } from './__tests__/run-spec.js';
import { createLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from './local-runtime.js';

const WAIT = `console.log('waiting'); setInterval(() => console.log('tick'), 50);`;
const STUBBORN = `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('waiting'); setInterval(() => {}, 1000);`;

let dirs: TempDirs;
const runtimes: LocalRuntime[] = [];

const buildSpec = (run: RunSpec, workspace: string): RunnerSpec => ({
  ...run,
  workspace,
  github: { apiUrl: 'http://127.0.0.1:9' },
  agent: { command: ['agent'] },
  safety: { ghAllowed: [], blockedCommitWords: [] },
});

const runtime = async (script: string, over: Partial<LocalRuntimeOptions> = {}): Promise<LocalRuntime> => {
  const file = join(dirs.root, `runner-${runtimes.length}.cjs`);
  await writeFile(file, script, 'utf8');
  const rt = createLocalRuntime({
    dataDir: join(dirs.root, 'data'),
    runner: { command: [process.execPath, file] },
    buildSpec,
    env: {},
    killGraceMs: 300,
    pollMs: 20,
    ...over,
  });
  runtimes.push(rt);
  return rt;
};

const seen = async (rt: LocalRuntime, name: string, text: string): Promise<void> => {
  for await (const line of rt.followLog(name, AbortSignal.timeout(20_000))) if (line.includes(text)) return;
  throw new Error(`run ${name} ended without printing ${text}`);
};

const pidOf = async (name: string): Promise<number> =>
  Number(await readFile(join(dirs.root, 'data', 'runs', name, 'pid'), 'utf8'));

beforeEach(async () => {
  dirs = await tempDir('k3sc-rt-');
});
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  await dirs.cleanup();
});

describe('local runtime: stop, deadline, follow', () => {
  it('stop kills the process group and records "stopped"', async () => {
    const rt = await runtime(WAIT);
    await rt.start(runSpec('s1'));
    await seen(rt, 's1', 'waiting');
    const pid = await pidOf('s1');
    await rt.stop('s1');
    expect(isRunAlive(pid, 's1')).toBe(false);
    expect(await rt.status('s1')).toMatchObject({ state: 'failed', reason: 'stopped' });
    const exit = JSON.parse(await readFile(join(dirs.root, 'data', 'runs', 's1', 'exit.json'), 'utf8'));
    expect(exit.signal).toBe('SIGTERM');
  });

  it('escalates to SIGKILL when the runner ignores SIGTERM', async () => {
    const rt = await runtime(STUBBORN);
    await rt.start(runSpec('s2'));
    await seen(rt, 's2', 'waiting');
    await rt.stop('s2');
    expect(await rt.readLog('s2')).toContain('ignoring SIGTERM');
    const exit = JSON.parse(await readFile(join(dirs.root, 'data', 'runs', 's2', 'exit.json'), 'utf8'));
    expect(exit).toMatchObject({ signal: 'SIGKILL', reason: 'stopped' });
  });

  it('kills a run at its deadline', async () => {
    const exits: string[] = [];
    const rt = await runtime(WAIT, { onExit: (n) => exits.push(n) });
    await rt.start(runSpec('d1', { deadlineSeconds: 0.3 }));
    const lines: string[] = [];
    for await (const l of rt.followLog('d1', AbortSignal.timeout(20_000))) lines.push(l);
    expect(lines.every((l) => l === 'waiting' || l === 'tick')).toBe(true);
    expect(await rt.status('d1')).toMatchObject({ state: 'failed', reason: 'deadline exceeded (0.3s)' });
    await vi.waitFor(() => expect(exits).toEqual(['d1']), { timeout: 10_000 });
  });

  it('a stop that reaches a runner which has already reported success keeps the success', async () => {
    // Prints its success, then takes a moment to exit (as the real runner does after the hand-off).
    const rt = await runtime(
      `console.log('[result] {"ok":true}'); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);`,
      { killGraceMs: 10_000 }, // it exits on SIGTERM; a loaded machine must not make that a SIGKILL
    );
    await rt.start(runSpec('late-stop'));
    await seen(rt, 'late-stop', '[result]');
    await rt.stop('late-stop');
    expect(await rt.status('late-stop')).toMatchObject({ state: 'succeeded', exitCode: 0 });
  });

  it('followLog ends when its signal aborts', async () => {
    const rt = await runtime(WAIT);
    await rt.start(runSpec('f1'));
    const controller = new AbortController();
    let ticks = 0;
    for await (const line of rt.followLog('f1', controller.signal)) {
      if (line === 'tick' && ++ticks === 3) controller.abort();
    }
    expect(ticks).toBe(3);
    expect((await rt.status('f1')).state).toBe('running');
  });

  it('refuses a second run on a busy slot, and allows it once the slot is free', async () => {
    const rt = await runtime(WAIT);
    await rt.start(runSpec('b1'));
    const err: unknown = await rt.start(runSpec('b2')).catch((e: unknown) => e);
    expect(isK3scError(err, 'conflict')).toBe(true);
    expect((err as Error).message).toBe('slot claude-a is busy with b1; wait for it to end or stop it first');
    await rt.start(runSpec('b3', { slot: 'claude-b' }));
    expect((await rt.status('b3')).state).toBe('running');
    await rt.stop('b1');
    await rt.start(runSpec('b2'));
    expect((await rt.status('b2')).state).toBe('running');
  });
});

describe('local runtime: a fresh instance after a restart', () => {
  it('sees finished runs, live runs and unknown names, and keeps the slot lock', async () => {
    const first = await runtime(`console.log('[result] {"ok":true}')`);
    await first.start(runSpec('done'));
    await seen(first, 'done', '[result]');
    const waiter = await runtime(WAIT);
    await waiter.start(runSpec('live', { slot: 'claude-b' }));
    await seen(waiter, 'live', 'waiting');

    const fresh = await runtime(WAIT); // shares only the data directory with the others
    expect(await fresh.status('done')).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(await fresh.status('live')).toMatchObject({ state: 'running' });
    expect(await fresh.status('never')).toMatchObject({ state: 'missing' });
    const busy: unknown = await fresh.start(runSpec('other', { slot: 'claude-b' })).catch((e: unknown) => e);
    expect(isK3scError(busy, 'conflict')).toBe(true);
  });

  it('stops a run it did not start and enforces its deadline', async () => {
    const old = await runtime(WAIT);
    await old.start(runSpec('orphan'));
    await seen(old, 'orphan', 'waiting');
    const pid = await pidOf('orphan');
    const fresh = await runtime(WAIT);
    await fresh.stop('orphan');
    expect(isRunAlive(pid, 'orphan')).toBe(false);
    expect(await fresh.status('orphan')).toMatchObject({ state: 'failed', reason: 'stopped' });

    await old.start(runSpec('late', { slot: 'claude-b', deadlineSeconds: 600 }));
    await seen(old, 'late', 'waiting');
    const later = await runtime(WAIT, { clock: { now: () => new Date(Date.now() + 610_000) } });
    expect(await later.status('late')).toMatchObject({ state: 'failed', reason: 'deadline exceeded (600s)' });
    expect(isRunAlive(await pidOf('late'), 'late')).toBe(false);
  });
});

describe('local runtime: ends that are not the issue fault', () => {
  it('a SIGTERM to the supervisor with no stop request (host or service shutdown) is interrupted', async () => {
    const rt = await runtime(WAIT);
    await rt.start(runSpec('host-down'));
    await seen(rt, 'host-down', 'waiting');
    process.kill(await pidOf('host-down'), 'SIGTERM');
    await vi.waitFor(async () => expect((await rt.status('host-down')).state).toBe('failed'), {
      timeout: 15_000,
    });
    expect(await rt.status('host-down')).toMatchObject({
      interrupted: true,
      reason: expect.stringMatching(/host or service shutdown/),
    });
  });

  it('a run prepared but never spawned (k3sc died in between) is interrupted, not a failure', async () => {
    const rt = await runtime(WAIT);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dirs.root, 'data', 'runs', 'half-started'), { recursive: true });
    await writeFile(join(dirs.root, 'data', 'runs', 'half-started', 'spec.json'), '{}', 'utf8');
    expect(await rt.status('half-started')).toMatchObject({ state: 'failed', interrupted: true });
  });
});
