import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isK3scError } from '../../core/errors.js';
import { startHarness, type Harness } from '../../testing/github-test-setup.js';
import { GitHubTracker } from './github-tracker.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ref = (number: number) => ({ repo: h.repo, number });

describe('GitHubTracker.changeLabels', () => {
  it('adds and removes only the given labels, leaving others and a human waiting label alone', async () => {
    const n = h.fake.addIssue(h.repo, {
      title: 't',
      author: 'alice',
      labels: ['bug', 'ready', 'waiting', 'area/ui'],
    });
    await h.tracker.changeLabels(ref(n), { add: ['claude-a'], remove: ['ready'] });
    expect(h.fake.getIssue(h.repo, n)?.labels).toEqual(['bug', 'waiting', 'area/ui', 'claude-a']);
    const mine = h.fake.labelEvents(h.repo, n).filter((e) => e.actor === 'k3sc-bot');
    expect(mine.map((e) => `${e.event}:${e.label}`)).toEqual(['labeled:claude-a', 'unlabeled:ready']);
    const writes = Object.keys(h.fake.counters.byRoute).filter((k) => !k.startsWith('GET'));
    expect(writes.sort()).toEqual([
      'DELETE /repos/{owner}/{repo}/issues/{number}/labels/{name}',
      'POST /repos/{owner}/{repo}/issues/{number}/labels',
    ]);
  });

  it('treats removing an absent label as done', async () => {
    const n = h.fake.addIssue(h.repo, { title: 't', author: 'alice', labels: ['bug'] });
    await h.tracker.changeLabels(ref(n), { add: [], remove: ['needs-review', 'claude-b'] });
    expect(h.fake.getIssue(h.repo, n)?.labels).toEqual(['bug']);
    expect(h.fake.counters.byRoute['DELETE /repos/{owner}/{repo}/issues/{number}/labels/{name}']).toBe(2);
  });

  it('fails with not_found naming the issue when the issue does not exist', async () => {
    const err: unknown = await h.tracker
      .changeLabels(ref(99), { add: [], remove: ['ready'] })
      .catch((e: unknown) => e);
    expect(isK3scError(err, 'not_found')).toBe(true);
    expect((err as Error).message).toContain('acme/widgets#99');
  });

  it('encodes label names that need escaping', async () => {
    const n = h.fake.addIssue(h.repo, { title: 't', author: 'alice', labels: ['needs human?', 'a/b'] });
    await h.tracker.changeLabels(ref(n), { add: [], remove: ['needs human?', 'a/b'] });
    expect(h.fake.getIssue(h.repo, n)?.labels).toEqual([]);
  });
});

describe('GitHubTracker.labelAppliedBy', () => {
  it('returns the actor of the latest labeled event, across pages of events', async () => {
    const n = h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    h.fake.applyLabelAs(h.repo, n, 'ready', 'mallory');
    for (let i = 0; i < 120; i++) h.fake.setLabels(h.repo, n, i % 2 ? ['ready'] : [], 'bob');
    h.fake.setLabels(h.repo, n, [], 'carol');
    h.fake.applyLabelAs(h.repo, n, 'ready', 'dave');
    h.fake.applyLabelAs(h.repo, n, 'bug', 'erin');
    expect(h.fake.labelEvents(h.repo, n).length).toBeGreaterThan(100);
    expect(await h.tracker.labelAppliedBy(ref(n), 'ready')).toBe('dave');
    expect(await h.tracker.labelAppliedBy(ref(n), 'needs-human')).toBeUndefined();
  });

  it('answers again from 304s once the events are cached', async () => {
    const n = h.fake.addIssue(h.repo, { title: 't', author: 'alice', labels: ['ready'] });
    expect(await h.tracker.labelAppliedBy(ref(n), 'ready')).toBe('alice');
    h.fake.resetCounters();
    expect(await h.tracker.labelAppliedBy(ref(n), 'ready')).toBe('alice');
    expect(h.fake.counters.notModified).toBe(1);
    expect(h.fake.counters.rateLimit.used).toBe(0);
  });
});

describe('GitHubTracker.hasWriteAccess', () => {
  it('is true for admin, maintain and write; false for triage, read and strangers', async () => {
    const roles = ['admin', 'maintain', 'write', 'triage', 'read'] as const;
    for (const role of roles) h.fake.addCollaborator(h.repo, `u-${role}`, role);
    const answers = await Promise.all(roles.map((r) => h.tracker.hasWriteAccess(h.repo, `u-${r}`)));
    expect(answers).toEqual([true, true, true, false, false]);
    expect(await h.tracker.hasWriteAccess(h.repo, 'stranger')).toBe(false);
  });

  it('caches answers until the TTL passes on the injected clock', async () => {
    h.fake.addCollaborator(h.repo, 'alice', 'write');
    expect(await h.tracker.hasWriteAccess(h.repo, 'alice')).toBe(true);
    h.fake.addCollaborator(h.repo, 'alice', 'read');
    h.clock.advance(4 * 60_000);
    expect(await h.tracker.hasWriteAccess(h.repo, 'Alice')).toBe(true);
    expect(h.fake.counters.byRoute['GET /repos/{owner}/{repo}/collaborators/{user}/permission']).toBe(1);
    h.clock.advance(2 * 60_000);
    expect(await h.tracker.hasWriteAccess(h.repo, 'alice')).toBe(false);
  });
});

describe('GitHubTracker.comment and findPullByBranch', () => {
  it('posts a comment as the token user', async () => {
    const n = h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    await h.tracker.comment(ref(n), 'Parked after 3 failures:\n```\nexit 1\n```');
    expect(h.fake.getComments(h.repo, n)).toMatchObject([
      { author: 'k3sc-bot', body: 'Parked after 3 failures:\n```\nexit 1\n```' },
    ]);
  });

  it('prefers the open PR, then the newest, and ignores other branches', async () => {
    const old = h.fake.addPull(h.repo, {
      title: 'old',
      head: 'issue-4',
      author: 'bot',
      createdAt: '2024-01-01T00:00:00Z',
    });
    h.fake.closeIssue(h.repo, old);
    const open = h.fake.addPull(h.repo, {
      title: 'open',
      head: 'issue-4',
      author: 'bot',
      createdAt: '2024-02-01T00:00:00Z',
    });
    h.fake.addPull(h.repo, { title: 'other', head: 'issue-40', author: 'bot' });
    expect(await h.tracker.findPullByBranch(h.repo, 'issue-4')).toMatchObject({
      number: open,
      state: 'open',
      branch: 'issue-4',
      title: 'open',
    });
    h.fake.closeIssue(h.repo, open);
    expect((await h.tracker.findPullByBranch(h.repo, 'issue-4'))?.number).toBe(open);
    expect(await h.tracker.findPullByBranch(h.repo, 'issue-5')).toBeUndefined();
  });

  it("never returns a fork's PR for one of our branches", async () => {
    h.fake.addPull(h.repo, { title: 'fork', head: 'mallory:issue-6', author: 'mallory' });
    expect(await h.tracker.findPullByBranch(h.repo, 'issue-6')).toBeUndefined();
    const ours = h.fake.addPull(h.repo, { title: 'ours', head: 'issue-6', author: 'bot' });
    expect((await h.tracker.findPullByBranch(h.repo, 'issue-6'))?.number).toBe(ours);
  });
});

describe('GitHubTracker.comment with a marker', () => {
  const commentsOn = (n: number): string[] => h.fake.getComments(h.repo, n).map((c) => c.body);

  it('posts once, and not again when asked again (also from a new process)', async () => {
    const n = h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    expect(await h.tracker.comment(ref(n), 'hello', undefined, { marker: 'claim:a-1' })).toBe(true);
    expect(await h.tracker.comment(ref(n), 'hello', undefined, { marker: 'claim:a-1' })).toBe(false);
    // A new process: a new tracker (cold marker memory) on the same GitHub.
    const fresh = new GitHubTracker({ client: h.client });
    expect(await fresh.comment(ref(n), 'hello', undefined, { marker: 'claim:a-1' })).toBe(false);
    expect(commentsOn(n)).toEqual(['hello\n\n<!-- k3sc:claim:a-1 -->']);
  });

  it('a POST that GitHub stored but answered with 502 is not posted a second time', async () => {
    const n = h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    h.fake.injectFault({ method: 'POST', path: /\/comments$/, status: 502, times: 1, afterEffect: true });
    expect(await h.tracker.comment(ref(n), 'outcome', undefined, { marker: 'outcome:a-1' })).toBe(true);
    expect(commentsOn(n)).toEqual(['outcome\n\n<!-- k3sc:outcome:a-1 -->']);
  });

  it('a POST that failed before storing is retried and lands once', async () => {
    const n = h.fake.addIssue(h.repo, { title: 't', author: 'alice' });
    h.fake.injectFault({ method: 'POST', path: /\/comments$/, status: 502, times: 2 });
    await h.tracker.comment(ref(n), 'outcome', undefined, { marker: 'outcome:a-2' });
    expect(commentsOn(n)).toHaveLength(1);
  });
});
