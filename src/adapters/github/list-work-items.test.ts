import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueForBranch } from '../../core/domain/attempt-name.js';
import { DEFAULT_ENGINE_SETTINGS } from '../../core/model/settings.js';
import { startHarness, type Harness } from '../../testing/github-test-setup.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const seed = (issues: number, pulls: number): void => {
  for (let i = 0; i < issues; i++) {
    h.fake.addIssue(h.repo, {
      title: `issue ${i}`,
      author: 'alice',
      labels: i % 2 ? ['ready'] : [],
      createdAt: new Date(Date.UTC(2024, 0, 1, 0, i)),
    });
  }
  for (let i = 0; i < pulls; i++)
    h.fake.addPull(h.repo, { title: `pr ${i}`, head: `issue-${i + 1}`, author: 'k3sc-bot' });
};

describe('GitHubTracker.listWorkItems', () => {
  it('returns every open issue and PR beyond 100 per page, oldest first, with PR branches', async () => {
    seed(250, 3);
    h.fake.closeIssue(h.repo, 5);
    const items = await h.tracker.listWorkItems(h.repo);
    expect(items.changed).toBe(true);
    expect(items.issues).toHaveLength(249);
    expect(items.issues.map((i) => i.number)).not.toContain(5);
    expect(items.issues[0]).toMatchObject({
      number: 1,
      author: 'alice',
      state: 'open',
      repo: h.repo,
      labels: [],
    });
    expect(items.issues[1]?.labels).toEqual(['ready']);
    expect(items.issues[248]?.number).toBe(250);
    expect(items.pulls.map((p) => [p.number, p.branch])).toEqual([
      [251, 'issue-1'],
      [252, 'issue-2'],
      [253, 'issue-3'],
    ]);
    expect(items.pulls[0]?.url).toBe('https://github.com/acme/widgets/pull/251');
    expect(h.fake.counters.byRoute['GET /repos/{owner}/{repo}/issues']).toBe(3);
  });

  it('answers an unchanged repo from 304s: changed false, same items, zero rate-limit cost', async () => {
    seed(250, 2);
    const first = await h.tracker.listWorkItems(h.repo);
    h.fake.resetCounters();
    const second = await h.tracker.listWorkItems(h.repo);
    expect(second.changed).toBe(false);
    expect(second.issues).toEqual(first.issues);
    expect(second.pulls).toEqual(first.pulls);
    const c = h.fake.counters;
    expect(c.requests).toBe(3);
    expect(c.notModified).toBe(3);
    expect(c.rateLimit.used).toBe(0);
    // PR branches were cached: the pulls list is not asked again.
    expect(c.byRoute['GET /repos/{owner}/{repo}/pulls']).toBeUndefined();
    expect(h.tracker.stats.notModified).toBe(3);
  });

  it('reports changed after a label change, with the new labels', async () => {
    seed(3, 0);
    await h.tracker.listWorkItems(h.repo);
    h.fake.applyLabelAs(h.repo, 3, 'ready', 'alice');
    const next = await h.tracker.listWorkItems(h.repo);
    expect(next.changed).toBe(true);
    expect(next.issues.find((i) => i.number === 3)?.labels).toEqual(['ready']);
  });

  it('notices an issue closed on a later page', async () => {
    seed(150, 0);
    await h.tracker.listWorkItems(h.repo);
    h.fake.closeIssue(h.repo, 140);
    const next = await h.tracker.listWorkItems(h.repo);
    expect(next.changed).toBe(true);
    expect(next.issues).toHaveLength(149);
  });

  it('fetches the branch of a PR that appears later', async () => {
    seed(1, 1);
    await h.tracker.listWorkItems(h.repo);
    h.fake.addPull(h.repo, { title: 'new', head: 'issue-9', author: 'bob' });
    const next = await h.tracker.listWorkItems(h.repo);
    expect(next.pulls.map((p) => p.branch)).toEqual(['issue-1', 'issue-9']);
    expect(next.pulls[1]?.author).toBe('bob');
  });

  it("links only same-repository branches: a fork's issue-1 is not the work on issue 1", async () => {
    h.fake.addIssue(h.repo, { title: 'the issue', author: 'alice', labels: ['needs-review'] });
    h.fake.addPull(h.repo, { title: 'fork', head: 'mallory:issue-1', author: 'mallory' });
    h.fake.addPull(h.repo, { title: 'ours', head: 'issue-1', author: 'k3sc-bot' });
    const first = await h.tracker.listWorkItems(h.repo);
    // A PR that shows up later is looked up on its own; a fork's is qualified there too.
    h.fake.addPull(h.repo, { title: 'fork 2', head: 'Mallory:issue-1', author: 'mallory' });
    const items = await h.tracker.listWorkItems(h.repo);
    expect(first.pulls.map((p) => p.branch)).toEqual(['mallory:issue-1', 'issue-1']);
    expect(items.pulls.map((p) => p.branch)).toEqual(['mallory:issue-1', 'issue-1', 'Mallory:issue-1']);
    const linked = items.pulls.map((p) => issueForBranch(DEFAULT_ENGINE_SETTINGS.branchPattern, p.branch));
    expect(linked).toEqual([undefined, 1, undefined]);
  });

  it('keeps repositories apart even when their issue numbers collide', async () => {
    h.fake.addRepo({ owner: 'acme', name: 'gadgets' });
    h.fake.addIssue(h.repo, { title: 'widget bug', author: 'alice' });
    h.fake.addIssue('acme/gadgets', { title: 'gadget bug', author: 'alice' });
    const w = await h.tracker.listWorkItems(h.repo);
    const g = await h.tracker.listWorkItems({ owner: 'acme', name: 'gadgets' });
    expect(w.issues[0]).toMatchObject({ number: 1, title: 'widget bug', repo: h.repo });
    expect(g.issues[0]).toMatchObject({
      number: 1,
      title: 'gadget bug',
      repo: { owner: 'acme', name: 'gadgets' },
    });
    expect((await h.tracker.listWorkItems(h.repo)).changed).toBe(false);
  });
});
