import { farmOf, type Farm } from '../bot/farm.js';
import { createFarmApi } from '../core/api/farm-api.js';
import type { RepoRef } from '../core/model/refs.js';
import { takeReview } from '../core/usecases/leases.js';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import { buildBenchEngine, type BenchEngine } from './bench-engine.js';
import { benchClient } from './client.js';
import { seedFarm } from './fixture.js';
import type { Heap, MemorySample } from './heap.js';
import type { Progress } from './report.js';

export const SCALE_REPOS = 50;
export const LIVE_ATTEMPTS = 26;
export const LEASES = 6;

export interface MemoryStep {
  readonly step: string;
  readonly sample: MemorySample;
}

/** 50 repos x 200 items on the fake, an engine that scanned them, 26 live attempts, 6 leases. */
export interface ScaleSetup {
  readonly fake: GitHubFake;
  readonly repos: readonly RepoRef[];
  readonly bench: BenchEngine;
  readonly farm: Farm;
  readonly liveAttempts: number;
  readonly leases: number;
  /** Heap and RSS after GC at each step of the build-up. */
  readonly steps: readonly MemoryStep[];
  close(): Promise<void>;
}

const AGENT_OUTPUT = [
  'Reading the issue and the repository layout',
  '[tool] grep -rn "handleRequest" src/',
  'Editing src/server/router.ts: add the missing bounds check',
  '[tool] npm test -- router',
  'Tests pass (42 passed); committing on the issue branch',
];

/** Gives every running run a few lines of output, so `top` has last lines to show. */
const writeOutput = (bench: BenchEngine): void => {
  for (const name of bench.runtime.running()) bench.runtime.write(name, `${AGENT_OUTPUT.join('\n')}\n`);
};

const takeLeases = async (bench: BenchEngine, count: number): Promise<number> => {
  const actor = { id: 'cli:bench', display: 'bench', role: 'operator' as const };
  let taken = 0;
  for (let i = 0; i < count; i++) if (await takeReview(bench.deps, `claude-rev${i + 1}`, actor)) taken++;
  return taken;
};

const populate = async (repoCount: number, heap: Heap, progress: Progress): Promise<ScaleSetup> => {
  const steps: MemoryStep[] = [
    { step: 'process before the GitHub fake (code warmed up)', sample: heap.sample() },
  ];
  const fake = await startGitHubFake({ rateLimit: 1_000_000_000 });
  const repos = seedFarm(fake, repoCount).map((s) => s.repo);
  steps.push({ step: `+ GitHub fake seeded (${repoCount} x 200 items; not k3sc)`, sample: heap.sample() });
  const bench = buildBenchEngine({ client: benchClient(fake), repos, settings: { maxSlots: LIVE_ATTEMPTS } });
  progress(`scale: first scan of ${repoCount} repos`);
  await bench.engine.pass({ dryRun: true });
  steps.push({
    step: '+ k3sc engine after its first scan (items, ETags, trust cached)',
    sample: heap.sample(),
  });
  progress(`scale: claiming up to ${LIVE_ATTEMPTS} issues, taking ${LEASES} leases`);
  await bench.engine.pass();
  writeOutput(bench);
  const leases = await takeLeases(bench, LEASES);
  await bench.engine.pass({ dryRun: true }); // the queue `top` shows, with the leases in it
  const liveAttempts = (await bench.store.listAttempts({ liveOnly: true })).length;
  steps.push({
    step: `+ ${liveAttempts} live attempts, ${leases} leases, dashboard queue`,
    sample: heap.sample(),
  });
  const farm: Farm = farmOf(
    createFarmApi({ deps: bench.deps, engine: bench.engine, runtimeName: 'local (bench)', serving: true }),
  );
  return { fake, repos, bench, farm, liveAttempts, leases, steps, close: () => fake.close() };
};

/**
 * Builds the scale setup. A small run of the same steps goes first and is thrown away, so
 * the memory deltas measure data, not the code that V8 loads and compiles on first use.
 */
export const buildScaleSetup = async (heap: Heap, progress: Progress): Promise<ScaleSetup> => {
  const warm = await populate(2, heap, () => undefined);
  await warm.close();
  return populate(SCALE_REPOS, heap, progress);
};
