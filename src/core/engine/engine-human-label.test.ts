import { describe, expect, it } from 'vitest';
import { labelsAppeared } from '../domain/labels-appeared.js';
import { EngineHarness } from '../../testing/engine-harness.js';

describe('needs-human set by a person', () => {
  it('a scan that sees the label appear emits one transition by github; the next scan none', async () => {
    const h = new EngineHarness();
    const ref = h.tracker.addIssue({ repo: h.repo, title: 'x', author: 'alice', labels: [] });
    await h.engine.pass({ dryRun: true });
    await h.tracker.changeLabels(ref, { add: ['needs-human'], remove: [] });
    await h.engine.pass({ dryRun: true });
    await h.engine.pass({ dryRun: true });
    const seen = h.events.filter((e) => e.type === 'transition' && e.to === 'needs-human');
    expect(seen).toEqual([
      { type: 'transition', ref, from: 'none', to: 'needs-human', by: 'github', seenAt: expect.any(String) },
    ]);
  });

  it('labelsAppeared: nothing without an earlier listing, nothing for a label already there', () => {
    const repo = { owner: 'o', name: 'r' };
    const issue = (number: number, labels: string[]) => ({
      repo,
      number,
      title: '',
      author: 'a',
      labels,
      state: 'open' as const,
      createdAt: '',
      updatedAt: '',
      url: '',
    });
    const items = (issues: ReturnType<typeof issue>[]) => ({ repo, changed: true, issues, pulls: [] });
    const next = items([issue(1, ['needs-human']), issue(2, ['needs-human']), issue(3, ['needs-human'])]);
    expect(labelsAppeared(undefined, next, 'needs-human')).toEqual([]);
    const prev = items([issue(1, ['ready']), issue(2, ['needs-human'])]);
    // 3 is new in the listing and already carries the label (filed with it): it counts too.
    expect(labelsAppeared(prev, next, 'needs-human')).toEqual([
      { number: 1, from: ['ready'], seenAt: '' },
      { number: 3, from: [], seenAt: '' },
    ]);
  });

  it('labelsAppeared on a cold cache: only issues changed after the last recorded scan', () => {
    const repo = { owner: 'o', name: 'r' };
    const issue = (number: number, updatedAt: string, labels = ['needs-human']) => ({
      repo,
      number,
      title: '',
      author: 'a',
      labels,
      state: 'open' as const,
      createdAt: '',
      updatedAt,
      url: '',
    });
    const next = {
      repo,
      changed: true,
      issues: [
        issue(1, '2026-12-01T10:00:00Z'),
        issue(2, '2026-12-01T12:00:00Z'),
        issue(3, '2026-12-01T12:00:00Z', []),
      ],
      pulls: [],
    };
    expect(labelsAppeared(undefined, next, 'needs-human', '2026-12-01T11:00:00Z')).toEqual([
      { number: 2, from: [], seenAt: '2026-12-01T12:00:00Z' },
    ]);
  });

  it('a label set while no k3sc ran is seen by the next process; an older one, and the next pass, stay quiet', async () => {
    const h = new EngineHarness();
    const old = h.tracker.addIssue({ repo: h.repo, title: 'old', author: 'alice', labels: ['needs-human'] });
    const later = h.tracker.addIssue({ repo: h.repo, title: 'later', author: 'alice', labels: [] });
    h.advance(1_000);
    await h.engine.pass(); // records lastScanAt, after both issues' last change
    h.advance(60_000);
    await h.tracker.changeLabels(later, { add: ['needs-human'], remove: [] }); // while k3sc is down
    const before = h.events.length; // a restarted harness records into the first one's list
    const next = h.restart();
    await next.engine.pass({ dryRun: true });
    await next.engine.pass({ dryRun: true });
    const seen = h.events.slice(before).filter((e) => e.type === 'transition' && e.to === 'needs-human');
    expect(seen).toEqual([
      {
        type: 'transition',
        ref: later,
        from: 'none',
        to: 'needs-human',
        by: 'github',
        seenAt: expect.any(String),
      },
    ]);
    expect(seen.some((e) => e.type === 'transition' && e.ref.number === old.number)).toBe(false);
  });

  it('a first process ever (no recorded scan) alerts nothing that was already there', async () => {
    const h = new EngineHarness();
    h.tracker.addIssue({ repo: h.repo, title: 'x', author: 'alice', labels: ['needs-human'] });
    await h.engine.pass({ dryRun: true });
    expect(h.events.filter((e) => e.type === 'transition')).toEqual([]);
  });
});
