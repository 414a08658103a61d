import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubCachePath } from '../adapters/github/index.js';
import { startGitHubFake } from '../sandbox/github-fake/index.js';
import { BENCH_TOKEN } from './client.js';
import { childEnv, BIN, type CliRun, type CliRunner } from './cli-process.js';
import { ALLOWED_AUTHOR, seedFarm } from './fixture.js';
import type { Progress } from './report.js';

/** One `k3sc top --once` process: what it cost on the fake GitHub and on the machine. */
export interface OneShotSample {
  readonly requests: number;
  readonly notModified: number;
  readonly cost: number;
  readonly byRoute: Readonly<Record<string, number>>;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
}

export interface OneShotFigures {
  readonly repos: number;
  /** No cache file: what every one-shot command did before the cache was persisted. */
  readonly cold: readonly OneShotSample[];
  /** With the cache file the previous command saved. */
  readonly persisted: readonly OneShotSample[];
  readonly cacheFileBytes: number;
}

/**
 * Runs the real CLI (`bin/k3sc.js top --once`) as separate processes against the GitHub fake,
 * `reps` times without a cache file and `reps` times with the one the previous run saved.
 */
export const measureOneShotTop = async (
  runner: CliRunner,
  opts: { repos: number; reps: number },
  progress: Progress,
): Promise<OneShotFigures> => {
  const fake = await startGitHubFake({ tokens: { [BENCH_TOKEN]: 'k3sc-bot' }, rateLimit: 1_000_000_000 });
  const home = await mkdtemp(join(tmpdir(), 'k3sc-bench-oneshot-'));
  try {
    const farm = seedFarm(fake, opts.repos);
    const dataDir = join(home, 'data');
    const config = join(home, 'k3sc.yaml');
    await writeFile(
      config,
      [
        `data_dir: ${JSON.stringify(dataDir)}`,
        `github: { api_url: ${JSON.stringify(fake.url)} }`,
        `allowed_authors: [${ALLOWED_AUTHOR}]`,
        'repos:',
        ...farm.map((s) => `  - { owner: ${s.repo.owner}, name: ${s.repo.name} }`),
        '',
      ].join('\n'),
    );
    const env = childEnv({ HOME: home, GITHUB_TOKEN: BENCH_TOKEN });
    const once = async (): Promise<OneShotSample> => {
      fake.resetCounters();
      const r: CliRun = await runner.run(BIN, ['--config', config, 'top', '--once'], env);
      if (r.code !== 0)
        throw new Error(`k3sc top --once exited ${String(r.code)}: ${r.stderr.slice(0, 500)}`);
      const c = fake.counters;
      return {
        requests: c.requests,
        notModified: c.notModified,
        cost: c.rateLimit.used,
        byRoute: { ...c.byRoute },
        wallMs: r.wallMs,
        cpuMs: r.cpuMs,
        maxRssMiB: r.maxRssMiB,
      };
    };
    const cold: OneShotSample[] = [];
    const persisted: OneShotSample[] = [];
    for (let i = 0; i < opts.reps; i++) {
      progress(`one-shot top --once, ${opts.repos} repos: cold ${i + 1}/${opts.reps}`);
      await rm(githubCachePath(dataDir), { force: true });
      cold.push(await once());
    }
    for (let i = 0; i < opts.reps; i++) {
      progress(`one-shot top --once, ${opts.repos} repos: persisted cache ${i + 1}/${opts.reps}`);
      persisted.push(await once());
    }
    const cacheFileBytes = (await stat(githubCachePath(dataDir))).size;
    return { repos: opts.repos, cold, persisted, cacheFileBytes };
  } finally {
    await fake.close();
    await rm(home, { recursive: true, force: true });
  }
};
