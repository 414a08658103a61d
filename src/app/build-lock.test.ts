import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from './__tests__/wait-for.js';
import { defaultBuildLockPath, runWithBuildLock } from '../adapters/build-lock/build-lock.js';

// Real flock(1) on a real file; the CLI cases run the built dist/ (`npx tsc -p tsconfig.build.json`).
const BIN = fileURLToPath(new URL('../../bin/k3sc.js', import.meta.url));
const IMAGE_ENTRY = fileURLToPath(new URL('../../dist/app/build-lock-main.js', import.meta.url));

let dir: string;
let lock: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3sc-build-lock-'));
  lock = join(dir, 'cache', 'build.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = async (file: string): Promise<string[]> =>
  (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');

/** A command that logs its start, waits until `release` exists, then logs its end. */
const holdUntilReleased = (name: string): string[] => [
  'sh',
  '-c',
  `echo start-${name} >> "$1/log"; while [ ! -e "$1/release-${name}" ]; do sleep 0.02; done; echo end-${name} >> "$1/log"`,
  'sh',
  dir,
];

interface Cli {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const cli = (args: readonly string[], opts: { detached?: boolean; entry?: string } = {}): Cli => {
  const entryArgs = opts.entry === undefined ? [BIN, 'build-lock'] : [opts.entry];
  const child = spawn(process.execPath, [...entryArgs, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
    env: { ...process.env, K3SC_BUILD_LOCK: lock },
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => err, done };
};

describe('build-lock: one build at a time on a shared cache', () => {
  it('runs two concurrent build-locks strictly one after the other; the second says what it waits for', async () => {
    const progress: string[] = [];
    const first = runWithBuildLock({
      lockPath: lock,
      command: 'sh',
      args: holdUntilReleased('a').slice(1),
      progress: (l) => progress.push(`a: ${l}`),
    });
    await waitFor('a started', async () => (await lines(join(dir, 'log'))).includes('start-a'));
    const second = runWithBuildLock({
      lockPath: lock,
      command: 'sh',
      args: holdUntilReleased('b').slice(1),
      progress: (l) => progress.push(`b: ${l}`),
    });
    await waitFor('b waiting', () => progress.some((l) => l.startsWith('b: build-lock: waiting for')));
    expect(progress[0]).toContain(`waiting for ${lock} (held by pid=${process.pid} `);
    expect(progress[0]).toContain('cmd=sh');
    expect(await lines(join(dir, 'log'))).toEqual(['start-a']);
    await writeFile(join(dir, 'release-b'), ''); // b may not start early even when it could finish
    await new Promise((r) => setTimeout(r, 200));
    expect(await lines(join(dir, 'log'))).toEqual(['start-a']);
    await writeFile(join(dir, 'release-a'), '');
    expect(await first).toEqual({ kind: 'exited', code: 0 });
    expect(await second).toEqual({ kind: 'exited', code: 0 });
    expect(await lines(join(dir, 'log'))).toEqual(['start-a', 'end-a', 'start-b', 'end-b']);
    expect(progress.at(-1)).toMatch(/^b: build-lock: acquired .* after \d+s$/);
    expect(progress.filter((l) => l.startsWith('a:'))).toEqual([]);
  });

  it('passes the exit status through, and times out with 75 without running the command', async () => {
    const seven = await runWithBuildLock({
      lockPath: lock,
      command: 'sh',
      args: ['-c', 'exit 7'],
      progress: () => undefined,
    });
    expect(seven).toEqual({ kind: 'exited', code: 7 });
    // 75 from the command itself is the command's, not a timeout
    expect(
      await runWithBuildLock({
        lockPath: lock,
        command: 'sh',
        args: ['-c', 'exit 75'],
        progress: () => undefined,
      }),
    ).toEqual({ kind: 'exited', code: 75 });
    const holder = runWithBuildLock({
      lockPath: lock,
      command: 'sh',
      args: holdUntilReleased('a').slice(1),
      progress: () => undefined,
    });
    await waitFor('a started', async () => (await lines(join(dir, 'log'))).includes('start-a'));
    const progress: string[] = [];
    const late = await runWithBuildLock({
      lockPath: lock,
      timeoutSeconds: 0.3,
      command: 'sh',
      args: ['-c', 'echo never >> "$0/log"', dir],
      progress: (l) => progress.push(l),
    });
    expect(late).toEqual({ kind: 'timed-out' });
    expect(progress.at(-1)).toMatch(/^build-lock: gave up after \d+s waiting for /);
    await writeFile(join(dir, 'release-a'), '');
    await holder;
    expect(await lines(join(dir, 'log'))).toEqual(['start-a', 'end-a']);
  });

  it(
    'recovers a lock whose holder died (SIGKILL): the file stays, the kernel lock does not',
    { timeout: 120_000 },
    async () => {
      const dead = cli(['--', ...holdUntilReleased('dead')], { detached: true });
      await waitFor('holder started', async () => (await lines(join(dir, 'log'))).includes('start-dead'));
      process.kill(-dead.child.pid!, 'SIGKILL'); // the whole holder: k3sc, flock and the command
      await dead.done;
      expect(await readFile(lock, 'utf8')).toContain('cmd=sh'); // the dead holder's note is still there
      const progress: string[] = [];
      const next = await runWithBuildLock({
        lockPath: lock,
        command: 'sh',
        args: ['-c', 'echo next >> "$0/log"', dir],
        progress: (l) => progress.push(l),
      });
      expect(next).toEqual({ kind: 'exited', code: 0 });
      expect(progress).toEqual([]); // it never waited
      expect(await lines(join(dir, 'log'))).toEqual(['start-dead', 'next']);
    },
  );

  it('k3sc build-lock passes the exit status through; a missing command is a usage error', async () => {
    const ok = cli(['--', 'sh', '-c', 'exit 3']);
    expect(await ok.done).toEqual({ code: 3, signal: null });
    const none = cli([]);
    expect((await none.done).code).toBe(2); // commander: missing argument
  }, 120_000);

  it("the image's k3sc-build-lock: a signal reaches the command, a signal's death is 128+N, bad usage is 2", async () => {
    expect(existsSync(IMAGE_ENTRY)).toBe(true);
    const entry = { entry: IMAGE_ENTRY };
    const r = cli(['--lock', join(dir, 'other.lock'), '--timeout', '1m', '--', 'sh', '-c', 'exit 5'], entry);
    expect(await r.done).toEqual({ code: 5, signal: null });
    expect(existsSync(join(dir, 'other.lock'))).toBe(true);
    const selfKilled = cli(['--', 'sh', '-c', 'kill -KILL $$'], entry);
    expect((await selfKilled.done).code).toBe(128 + 9);
    const trapped = cli(
      [
        '--',
        'sh',
        '-c',
        `trap 'echo got-term >> "$0/log"; exit 42' TERM; echo up >> "$0/log"; while :; do sleep 0.02; done`,
        dir,
      ],
      entry,
    );
    await waitFor('command up', async () => (await lines(join(dir, 'log'))).includes('up'));
    trapped.child.kill('SIGTERM');
    expect(await trapped.done).toEqual({ code: 42, signal: null });
    expect(await lines(join(dir, 'log'))).toEqual(['up', 'got-term']);
    const bad = cli(['--frob'], entry);
    expect((await bad.done).code).toBe(2);
    expect(bad.stderr()).toContain('unknown option --frob');
    const badTimeout = cli(['--timeout', 'soon', '--', 'true'], entry);
    expect((await badTimeout.done).code).toBe(2);
    expect(badTimeout.stderr()).toContain('--timeout must be a duration');
  }, 60_000);

  it('defaults the lock to K3SC_BUILD_LOCK, else the cache dir', () => {
    expect(defaultBuildLockPath({ K3SC_BUILD_LOCK: '/x/l' }, '/h')).toBe('/x/l');
    expect(defaultBuildLockPath({ K3SC_CACHE_DIR: '/cache' }, '/h')).toBe('/cache/build.lock');
    expect(defaultBuildLockPath({}, '/h')).toBe('/h/.cache/k3sc/build.lock');
    expect(defaultBuildLockPath({ XDG_CACHE_HOME: '/xdg' }, '/h')).toBe('/xdg/k3sc/build.lock');
  });
});
