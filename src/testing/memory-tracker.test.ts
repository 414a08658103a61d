import { describe, expect, it } from 'vitest';
import { isK3scError } from '../core/errors.js';
import { FakeClock } from './engine-clock.js';
import type { CallEntry } from './memory-calls.js';
import { MemoryTracker } from './memory-tracker.js';

const R = { owner: 'o', name: 'r' };
const S = { owner: 'o', name: 's' };

const setup = (): { t: MemoryTracker; clock: FakeClock; calls: CallEntry[] } => {
  const clock = new FakeClock();
  const calls: CallEntry[] = [];
  const t = new MemoryTracker({ clock, onCall: (e) => calls.push(e) });
  t.addRepo(R);
  t.addRepo(S);
  return { t, clock, calls };
};

describe('MemoryTracker seeding and listing', () => {
  it('numbers issues and PRs from one sequence per repo and lists open ones oldest first', async () => {
    const { t } = setup();
    const a = t.addIssue({ repo: R, title: 'a', author: 'alice', createdAt: '2026-01-02T00:00:00Z' });
    const pr = t.addPull({ repo: R, title: 'fix: a', branch: 'issue-1' });
    const b = t.addIssue({ repo: R, title: 'b', author: 'bob', createdAt: '2026-01-01T00:00:00Z' });
    t.addIssue({ repo: S, title: 'other repo', author: 'alice' });
    expect([a.number, pr.number, b.number]).toEqual([1, 2, 3]);
    t.setState(a, 'closed');
    const items = await t.listWorkItems(R);
    expect(items.issues.map((i) => i.number)).toEqual([3]);
    expect(items.pulls).toMatchObject([{ number: 2, branch: 'issue-1', state: 'open' }]);
  });

  it('reports changed only when something moved since the previous list of that repo', async () => {
    const { t } = setup();
    const ref = t.addIssue({ repo: R, title: 'a', author: 'alice' });
    expect((await t.listWorkItems(R)).changed).toBe(true);
    expect((await t.listWorkItems(R)).changed).toBe(false);
    expect((await t.listWorkItems(S)).changed).toBe(true);
    t.applyLabelAs(ref, 'ready', 'alice');
    expect((await t.listWorkItems(S)).changed).toBe(false);
    const again = await t.listWorkItems(R);
    expect(again.changed).toBe(true);
    expect(again.issues[0]?.labels).toEqual(['ready']);
    await t.comment(ref, 'hello');
    expect((await t.listWorkItems(R)).changed).toBe(true);
  });

  it('moves updatedAt on every change even when the clock stands still', async () => {
    const { t } = setup();
    const ref = t.addIssue({ repo: R, title: 'a', author: 'alice' });
    const before = t.get(ref).updatedAt;
    await t.changeLabels(ref, { add: ['ready'], remove: [] });
    expect(t.get(ref).updatedAt > before).toBe(true);
  });
});

describe('MemoryTracker labels and trust', () => {
  it('adds and removes labels, ignores absent ones, and records who did it', async () => {
    const { t } = setup();
    const ref = t.addIssue({ repo: R, title: 'a', author: 'alice', labels: ['ready', 'bug'] });
    await t.changeLabels(ref, { add: ['claude-a'], remove: ['ready', 'needs-human'] });
    expect(t.labels(ref)).toEqual(['bug', 'claude-a']);
    expect(t.get(ref).events.map((e) => `${e.action}:${e.label}:${e.actor}`)).toEqual([
      'labeled:ready:alice',
      'labeled:bug:alice',
      'unlabeled:ready:k3sc-bot',
      'labeled:claude-a:k3sc-bot',
    ]);
  });

  it('labelAppliedBy answers the actor of the latest labeled event', async () => {
    const { t } = setup();
    const ref = t.addIssue({ repo: R, title: 'a', author: 'alice', labels: ['ready'] });
    expect(await t.labelAppliedBy(ref, 'ready')).toBe('alice');
    t.removeLabelAs(ref, 'ready', 'carol');
    expect(await t.labelAppliedBy(ref, 'ready')).toBe('alice');
    t.applyLabelAs(ref, 'ready', 'mallory');
    expect(await t.labelAppliedBy(ref, 'READY')).toBe('mallory');
    expect(await t.labelAppliedBy(ref, 'needs-review')).toBeUndefined();
  });

  it('grants write access to admin, maintain and write only; the bot writes by default', async () => {
    const { t } = setup();
    for (const [login, perm] of [
      ['w', 'write'],
      ['m', 'maintain'],
      ['a', 'admin'],
      ['tr', 'triage'],
      ['rd', 'read'],
    ] as const)
      t.setPermission(R, login, perm);
    const answers = await Promise.all(
      ['w', 'm', 'a', 'tr', 'rd', 'stranger', 'k3sc-bot'].map((l) => t.hasWriteAccess(R, l)),
    );
    expect(answers).toEqual([true, true, true, false, false, false, true]);
    expect(await t.hasWriteAccess(S, 'w')).toBe(false);
    const appBot = new MemoryTracker({ botPermission: 'none' });
    appBot.addRepo(R);
    expect(await appBot.hasWriteAccess(R, 'k3sc-bot')).toBe(false);
  });

  it('finds the PR of a branch, open before closed, newest first', async () => {
    const { t } = setup();
    t.addPull({
      repo: R,
      title: 'old',
      branch: 'issue-7',
      createdAt: '2026-01-01T00:00:00Z',
      state: 'closed',
    });
    const open = t.addPull({ repo: R, title: 'open', branch: 'issue-7', createdAt: '2025-12-01T00:00:00Z' });
    t.addPull({ repo: S, title: 'other repo', branch: 'issue-7' });
    expect((await t.findPullByBranch(R, 'issue-7'))?.number).toBe(open.number);
    expect(await t.findPullByBranch(R, 'issue-8')).toBeUndefined();
  });
});

describe('MemoryTracker calls and faults', () => {
  it('counts calls per method and fails exactly once when told to', async () => {
    const { t, calls } = setup();
    const ref = t.addIssue({ repo: R, title: 'a', author: 'alice' });
    t.failNext('comment');
    await expect(t.comment(ref, 'x')).rejects.toSatisfy((e) => isK3scError(e, 'unavailable'));
    await t.comment(ref, 'y');
    expect(t.comments(ref)).toEqual(['y']);
    expect(t.count('comment')).toBe(2);
    expect(calls.map((c) => `${c.method}:${c.detail}:${c.failed}`)).toEqual([
      'comment:x:true',
      'comment:y:false',
    ]);
  });

  it('rejects unknown repos and issues as not_found and honours an aborted signal', async () => {
    const { t } = setup();
    await expect(t.listWorkItems({ owner: 'x', name: 'y' })).rejects.toSatisfy((e) =>
      isK3scError(e, 'not_found'),
    );
    await expect(t.changeLabels({ repo: R, number: 99 }, { add: ['ready'], remove: [] })).rejects.toSatisfy(
      (e) => isK3scError(e, 'not_found'),
    );
    const ac = new AbortController();
    ac.abort();
    await expect(t.listWorkItems(R, ac.signal)).rejects.toThrow();
  });
});
