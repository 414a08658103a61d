import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readControlFile } from '../app/control-file.js';
import { BIN, childEnv, FULL_MAIN, type CliRun, type CliRunner } from './cli-process.js';
import type { Progress } from './report.js';

export interface ForwardFigures {
  /** The command forwarded each time. */
  readonly argv: readonly string[];
  /** `node -e 0` with the same reporter: the floor any Node CLI pays. */
  readonly bareNode: readonly CliRun[];
  /** main() with every module (the start-up each forwarded command had before the lean path). */
  readonly full: readonly CliRun[];
  /** bin/k3sc.js: the lean path. */
  readonly lean: readonly CliRun[];
}

const waitForServe = async (dataDir: string, child: ChildProcess, log: () => string): Promise<void> => {
  const deadline = Date.now() + 60_000;
  while (!(await readControlFile(dataDir))) {
    if (child.exitCode !== null) throw new Error(`k3sc serve exited early: ${log().slice(0, 500)}`);
    if (Date.now() > deadline)
      throw new Error(`k3sc serve did not start within 60 s: ${log().slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/**
 * Starts a real `k3sc serve` (sandbox mode, its own process) and runs one command against it
 * `reps` times through each start-up path, interleaved so machine load hits both alike.
 */
export const measureForwarded = async (
  runner: CliRunner,
  opts: { reps: number },
  progress: Progress,
): Promise<ForwardFigures> => {
  const home = await mkdtemp(join(tmpdir(), 'k3sc-bench-forward-'));
  const dataDir = join(home, 'data');
  const config = join(home, 'k3sc.yaml');
  await writeFile(config, `data_dir: ${JSON.stringify(dataDir)}\nhttp: { host: 127.0.0.1, port: 0 }\n`);
  const env = childEnv({ HOME: home });
  progress('forwarded command: starting a sandbox serve');
  const serve = spawn(process.execPath, [BIN, '--config', config, 'serve', '--no-console'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let serveLog = '';
  serve.stdout?.on('data', (d: Buffer) => (serveLog += d.toString()));
  serve.stderr?.on('data', (d: Buffer) => (serveLog += d.toString()));
  const argv = ['--config', config, 'top', '--once'];
  const figures = {
    argv: argv.slice(2),
    bareNode: [] as CliRun[],
    full: [] as CliRun[],
    lean: [] as CliRun[],
  };
  try {
    await waitForServe(dataDir, serve, () => serveLog);
    const check = (r: CliRun, what: string): CliRun => {
      if (r.code !== 0 || !r.stdout.includes('(sandbox)'))
        throw new Error(
          `${what} did not reach the serve (exit ${String(r.code)}): ${r.stderr.slice(0, 500)}`,
        );
      return r;
    };
    const bare = join(home, 'bare.mjs');
    await writeFile(bare, '');
    for (let i = 0; i < opts.reps; i++) {
      progress(`forwarded top --once: ${i + 1}/${opts.reps}`);
      figures.bareNode.push(await runner.run(bare, [], env));
      figures.full.push(check(await runner.run(FULL_MAIN, argv, env), 'main()'));
      figures.lean.push(check(await runner.run(BIN, argv, env), 'bin/k3sc.js'));
    }
    return figures;
  } finally {
    if (serve.exitCode === null) {
      const closed = new Promise((r) => serve.once('close', r));
      serve.kill('SIGTERM');
      const timer = setTimeout(() => serve.kill('SIGKILL'), 15_000);
      await closed;
      clearTimeout(timer);
    }
    await rm(home, { recursive: true, force: true });
  }
};
