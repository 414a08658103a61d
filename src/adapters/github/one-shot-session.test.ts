import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../core/engine/engine.js';
import { WorkItemsCache } from '../../core/engine/work-items-cache.js';
import { KeyedQueue } from '../../core/keyed-queue.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../../core/model/settings.js';
import { systemClock } from '../../core/ports/clock.js';
import { startGitHubFake, type GitHubFake } from '../../sandbox/github-fake/index.js';
import { MemoryRuntime } from '../../testing/memory-runtime.js';
import { MemoryStateStore } from '../store/memory-state-store.js';
import { createOctokit } from './create-octokit.js';
import { DEFAULT_CACHE_LIMITS, githubCachePath, type CacheLimits } from './github-cache-file.js';
import { GitHubTracker } from './github-tracker.js';
import { startOneShotSession } from './one-shot-session.js';
import { BOT_TOKEN, recordingLogger, type LogLine } from '../../testing/github-test-setup.js';

const repo = { owner: 'acme', name: 'widgets' };
let fake: GitHubFake;
let dataDir: string;

beforeEach(async () => {
  fake = await startGitHubFake({ tokens: { [BOT_TOKEN]: 'k3sc-bot' } });
  fake.addRepo(repo);
  for (let i = 0; i < 3; i++)
    fake.addIssue(repo, { title: `ready ${i}`, author: 'alice', labels: ['ready'] });
  const bobs = fake.addIssue(repo, { title: 'marked ready by bob', author: 'alice' });
  fake.applyLabelAs(repo, bobs, 'ready', 'bob');
  fake.addCollaborator(repo, 'bob', 'write');
  fake.addPull(repo, { title: 'pr', head: 'issue-1', author: 'k3sc-bot' });
  dataDir = await mkdtemp(join(tmpdir(), 'k3sc-oneshot-'));
});
afterEach(async () => {
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Run {
  readonly logs: LogLine[];
  readonly trusted: number;
}

/** One one-shot CLI process: a fresh client, tracker and engine; a dry-run pass; the session saved. */
const oneShot = async (
  opts: { allowed?: string[]; now?: () => number; limits?: CacheLimits; baseUrl?: string } = {},
): Promise<Run> => {
  const logger = recordingLogger();
  const client = createOctokit({
    baseUrl: opts.baseUrl ?? fake.url,
    auth: { kind: 'token', token: BOT_TOKEN },
    throttle: { minTime: 0, retryAfterBaseMs: 1 },
    retryBaseMs: 1,
  });
  const tracker = new GitHubTracker({ client });
  const settings: EngineSettings = {
    ...DEFAULT_ENGINE_SETTINGS,
    repos: [repo],
    allowedAuthors: opts.allowed ?? ['alice'],
    botLogin: 'k3sc-bot',
  };
  const engine = new Engine({
    settings,
    tracker,
    store: new MemoryStateStore(),
    runtime: new MemoryRuntime(),
    clock: systemClock,
    logger,
    events: { emit: () => undefined },
    queue: new KeyedQueue(),
    cache: new WorkItemsCache(),
  });
  const session = await startOneShotSession({
    dataDir,
    tracker,
    trust: engine.trust,
    settings,
    logger,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  try {
    const report = await engine.pass({ dryRun: true });
    const trusted = report.entries.filter((e) => e.decision.dispatch).length;
    return { logs: logger.lines, trusted };
  } finally {
    await session.end();
  }
};

const route = (key: string): number => fake.counters.byRoute[key] ?? 0;
const LIST = 'GET /repos/{owner}/{repo}/issues';
const EVENTS = 'GET /repos/{owner}/{repo}/issues/{issue_number}/events'.replace('{issue_number}', '{number}');
const PULLS = 'GET /repos/{owner}/{repo}/pulls';
const PERMISSION = 'GET /repos/{owner}/{repo}/collaborators/{user}/permission';
/** Ready issues, each needing a trust check (who applied ready) when nothing is cached. */
const COLD_EVENTS = 4;

describe('one-shot commands keep GitHub caches between processes', () => {
  it('a second process sends only the 304 listing: no pulls, events or permission requests', async () => {
    const cold = await oneShot();
    expect(cold.trusted).toBeGreaterThan(0);
    expect(route(EVENTS)).toBe(COLD_EVENTS);
    expect(route(PULLS)).toBe(1);
    expect(route(PERMISSION)).toBe(1);
    fake.resetCounters();
    const warm = await oneShot();
    expect(warm.trusted).toBe(cold.trusted);
    expect(fake.counters.requests).toBe(1);
    expect(route(LIST)).toBe(1);
    expect(fake.counters.notModified).toBe(1);
  });

  it('still notices a change: a new ready issue is listed and checked, the rest stays cached', async () => {
    await oneShot();
    const n = fake.addIssue(repo, { title: 'new', author: 'alice', labels: ['ready'] });
    fake.resetCounters();
    await oneShot();
    expect(fake.counters.notModified).toBe(0);
    expect(route(EVENTS)).toBe(1);
    expect(fake.labelEvents(repo, n)).toHaveLength(1);
    expect(route(PERMISSION)).toBe(0);
  });

  it('never writes the token, and keeps the file private', async () => {
    await oneShot();
    const path = githubCachePath(dataDir);
    expect(await readFile(path, 'utf8')).not.toContain(BOT_TOKEN);
    const { stat } = await import('node:fs/promises');
    expect((await stat(path)).mode & 0o077).toBe(0);
  });

  it.each([
    ['garbage', 'not json {'],
    ['the wrong shape', JSON.stringify({ version: 1, apiUrl: 'x', tracker: { pages: 7 } })],
    ['a malformed page', '__MALFORMED_PAGE__'],
    ['JSON null', 'null'],
  ])('ignores a cache file holding %s with a warning, and replaces it', async (_what, content) => {
    await oneShot();
    const path = githubCachePath(dataDir);
    let text = content;
    if (content === '__MALFORMED_PAGE__') {
      const doc = JSON.parse(await readFile(path, 'utf8')) as { tracker: { pages: [string, unknown][] } };
      doc.tracker.pages[0] = [doc.tracker.pages[0]?.[0] ?? 'issues:x', { etag: 'W/"1"', items: [{ no: 1 }] }];
      text = JSON.stringify(doc);
    }
    await writeFile(path, text);
    fake.resetCounters();
    const run = await oneShot();
    const warn = run.logs.find((l) => l.level === 'warn' && /ignoring the GitHub cache/.test(l.msg ?? ''));
    expect(warn).toBeDefined();
    expect(route(EVENTS)).toBe(COLD_EVENTS);
    fake.resetCounters();
    await oneShot();
    expect(fake.counters.requests).toBe(1);
  });

  it('ignores a directory in place of the file, and a failed save is only a warning', async () => {
    await mkdir(githubCachePath(dataDir), { recursive: true });
    const run = await oneShot();
    expect(run.logs.some((l) => /ignoring the GitHub cache/.test(l.msg ?? ''))).toBe(true);
    expect(run.logs.some((l) => /could not save the GitHub cache/.test(l.msg ?? ''))).toBe(true);
  });

  it('ignores a file written for another GitHub API', async () => {
    await oneShot();
    const doc = JSON.parse(await readFile(githubCachePath(dataDir), 'utf8')) as { apiUrl: string };
    doc.apiUrl = 'https://ghe.example.com/api/v3';
    await writeFile(githubCachePath(dataDir), JSON.stringify(doc));
    fake.resetCounters();
    const run = await oneShot();
    expect(run.logs.some((l) => /written for https:\/\/ghe\.example\.com/.test(l.msg ?? ''))).toBe(true);
    expect(route(EVENTS)).toBe(COLD_EVENTS);
  });

  it('drops saved trust verdicts when allowed_authors change, keeping the ETag pages', async () => {
    await oneShot();
    fake.resetCounters();
    await oneShot({ allowed: ['alice', 'carol'] });
    expect(route(LIST)).toBe(1);
    // Verdicts are reached again, from cached event pages (304s) and cached write access.
    expect(route(EVENTS)).toBe(COLD_EVENTS);
    expect(fake.counters.notModified).toBe(1 + COLD_EVENTS);
    expect(route(PERMISSION)).toBe(0);
  });

  it('drops trust verdicts older than an hour, even when re-saved in between', async () => {
    let t = Date.parse('2025-03-01T10:00:00Z');
    const now = (): number => t;
    await oneShot({ now });
    t += 59 * 60_000;
    fake.resetCounters();
    await oneShot({ now });
    expect(route(EVENTS)).toBe(0);
    t += 2 * 60_000;
    fake.resetCounters();
    await oneShot({ now });
    expect(route(EVENTS)).toBe(COLD_EVENTS);
  });

  it('bounds what it saves: the newest pages within the byte budget', async () => {
    const limits = { ...DEFAULT_CACHE_LIMITS, maxPageBytes: 600 };
    await oneShot({ limits });
    const doc = JSON.parse(await readFile(githubCachePath(dataDir), 'utf8')) as {
      tracker: { pages: unknown[] };
    };
    expect(JSON.stringify(doc.tracker.pages).length).toBeLessThanOrEqual(600);
    expect(doc.tracker.pages.length).toBeLessThan(6);
  });
});
