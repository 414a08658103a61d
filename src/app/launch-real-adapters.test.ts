import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFarmApi } from '../core/api/farm-api.js';
import type { EngineDeps } from '../core/engine/deps.js';
import { Engine } from '../core/engine/engine.js';
import { nullSink } from '../core/engine/events.js';
import { WorkItemsCache } from '../core/engine/work-items-cache.js';
import { KeyedQueue } from '../core/keyed-queue.js';
import { DEFAULT_ENGINE_SETTINGS } from '../core/model/settings.js';
import { systemClock } from '../core/ports/clock.js';
import { silentLogger } from '../core/ports/logger.js';
import { createOctokit, GitHubTracker } from '../adapters/github/index.js';
import { openLowdbStateStore, type LowdbStateStore } from '../adapters/store/lowdb-state-store.js';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import { MemoryRuntime } from '../testing/memory-runtime.js';

/**
 * Launch end to end on the real adapters: the config saved in the lowdb file, the issue filed
 * through Octokit on the GitHub fake (labelled ready by k3sc's login), then a cold engine —
 * a new process with nothing cached — claims it on the config's family with its model.
 */
const REPO = { owner: 'acme', name: 'widgets' };
const TOKEN = 'ghp_launch_test_bot_token_00000';
const OLGA = { id: 'slack:U1', display: 'olga', role: 'operator' as const };
const settings = {
  ...DEFAULT_ENGINE_SETTINGS,
  repos: [REPO],
  allowedAuthors: ['alice', 'k3sc-bot'],
  botLogin: 'k3sc-bot',
};

let fake: GitHubFake;
let dir: string;
const runtime = new MemoryRuntime();
const stores: LowdbStateStore[] = [];

const processOf = async () => {
  const client = createOctokit({
    baseUrl: fake.url,
    auth: { kind: 'token', token: TOKEN },
    throttle: { minTime: 0 },
    retries: 0,
  });
  const store = await openLowdbStateStore({ path: join(dir, 'state.json') });
  stores.push(store);
  const deps: EngineDeps = {
    settings,
    tracker: new GitHubTracker({ client }),
    store,
    runtime,
    clock: systemClock,
    logger: silentLogger,
    events: nullSink,
    queue: new KeyedQueue(),
    cache: new WorkItemsCache(),
  };
  const engine = new Engine(deps);
  return { engine, api: createFarmApi({ deps, engine, serving: false, runtimeName: 'test' }) };
};

beforeEach(async () => {
  fake = await startGitHubFake({ tokens: { [TOKEN]: 'k3sc-bot' } });
  fake.addRepo(REPO);
  dir = await mkdtemp(join(tmpdir(), 'k3sc-launch-'));
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe('launch on the real adapters', () => {
  it("files the issue on GitHub and a fresh engine claims it on the config's family, model and deadline", async () => {
    const signal = AbortSignal.timeout(20_000);
    const first = await processOf();
    await first.api.saveConfig(
      {
        name: 'triage',
        repo: 'acme/widgets',
        family: 'codex',
        model: 'gpt-5',
        deadlineSeconds: 1200,
        template: 'Look at: {{title}}',
      },
      { signal, actor: OLGA },
    );
    const filed = await first.api.launch('triage', { title: 'Crash on start' }, { signal, actor: OLGA });
    expect(filed).toMatchObject({ issue: 'acme/widgets#1', ready: true, created: true, warnings: [] });
    const issue = fake.getIssue(REPO, 1);
    expect(issue?.author).toBe('k3sc-bot');
    expect(issue?.body).toContain('Look at: Crash on start');
    expect(fake.labelEvents(REPO, 1).map((e) => [e.label, e.actor])).toEqual([['ready', 'k3sc-bot']]);

    // The first process ends (its lock on the state file goes); a new one starts cold.
    for (const s of stores.splice(0)) await s.close();
    const second = await processOf();
    const report = await second.engine.pass({ signal });
    expect(report.started.map((a) => a.slot)).toEqual(['codex-a']);
    expect(runtime.runs()[0]?.spec).toMatchObject({ family: 'codex', model: 'gpt-5', deadlineSeconds: 1200 });
    expect(fake.getIssue(REPO, 1)?.labels).toEqual(['codex-a']);
  });
});
