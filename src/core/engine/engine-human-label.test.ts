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
    expect(seen).toEqual([{ type: 'transition', ref, from: 'none', to: 'needs-human', by: 'github' }]);
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
    expect(labelsAppeared(prev, next, 'needs-human')).toEqual([{ number: 1, from: ['ready'] }]);
  });
});
