import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './__tests__/run-cli.js';
import { cleanEnv, tempHome, type TempHome } from './__tests__/temp-home.js';
import { serveLockPath } from './serve-lock.js';

interface Proc {
  readonly child: ChildProcess;
  readonly out: { stdout: string; stderr: string };
  /** Resolves when the process has exited (its code) or is up and serving ('up'). */
  readonly settled: Promise<number | null | 'up'>;
  readonly exited: Promise<number | null>;
}

const startServe = (home: TempHome): Proc => {
  const child = spawn(process.execPath, [BIN, '--config', home.configPath, 'serve', '--no-console'], {
    env: cleanEnv({ HOME: home.dir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const up = new Promise<'up'>((resolve) => {
    child.stdout?.on('data', (d: Buffer) => {
      out.stdout += d.toString();
      if (out.stdout.includes('k3sc serve: ')) resolve('up');
    });
  });
  child.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
  return { child, out, exited, settled: Promise.race([up, exited]) };
};

const homes: TempHome[] = [];
afterAll(() => Promise.all(homes.map((h) => h.cleanup())));

describe('two sandbox serves started at the same instant (A13)', () => {
  it('exactly one runs; the other exits 1 with a message, round after round', async () => {
    for (let round = 0; round < 5; round++) {
      // Families off, so no agent starts; a section nothing reads yet, to see serve warn about it.
      const home = await tempHome(
        "families: { claude: false, codex: false }\nschedules: { digest: '0 9 * * 1-5' }\n",
      );
      homes.push(home);
      const procs = [startServe(home), startServe(home)];
      try {
        // A serve that neither comes up nor exits within 30 s is stuck (seen before the fix).
        const stuck = (): Promise<'stuck'> => new Promise((r) => setTimeout(() => r('stuck'), 30_000));
        const states = await Promise.all(procs.map((p) => Promise.race([p.settled, stuck()])));
        expect(states, `round ${round}`).not.toContain('stuck');
        const winners = procs.filter((_, i) => states[i] === 'up');
        const losers = procs.filter((_, i) => states[i] !== 'up');
        const all = procs.map((p) => p.out.stderr).join('\n---\n');
        expect(winners, `round ${round}: ${all}`).toHaveLength(1);
        const [loser] = losers;
        expect(await loser?.exited, all).toBe(1);
        expect(loser?.out.stderr).toMatch(/error: k3sc serve \(.+\) already runs on data dir/);
        expect(loser?.out.stderr).not.toMatch(/\n\s+at /);
        expect(loser?.out.stdout).not.toContain('SANDBOX MODE');
        const [winner] = winners;
        expect(winner?.out.stderr).toContain(
          'config warning: every family is disabled — nothing will dispatch',
        );
        expect(existsSync(serveLockPath(home.dataDir))).toBe(true);
        expect(existsSync(join(home.dataDir, 'sandbox', 'state.json.lock'))).toBe(true);
        winner?.child.kill('SIGTERM');
        expect(await winner?.exited, winner?.out.stderr).toBe(0);
        expect(existsSync(serveLockPath(home.dataDir))).toBe(false);
      } finally {
        for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      }
    }
  }, 180_000);
});
