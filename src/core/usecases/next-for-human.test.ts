import { describe, expect, it } from 'vitest';
import { createHarness } from '../../testing/engine-harness.js';
import { nextForHuman } from './next-for-human.js';

describe('nextForHuman', () => {
  it('offers the needs-human issue that has waited longest, skipping waiting', async () => {
    const h = createHarness();
    expect(nextForHuman(h.deps)).toBeUndefined();
    h.tracker.addIssue({ repo: h.repo, title: 'held', author: 'alice', labels: ['needs-human', 'waiting'] });
    h.advance(1000);
    h.tracker.addIssue({ repo: h.repo, title: 'older', author: 'alice', labels: ['needs-human'] });
    h.advance(1000);
    h.tracker.addIssue({ repo: h.repo, title: 'newer', author: 'alice', labels: ['needs-human'] });
    h.tracker.addIssue({
      repo: h.repo,
      title: 'ready',
      author: 'alice',
      labels: ['ready'],
      labeledBy: 'bob',
    });
    await h.engine.pass();
    expect(nextForHuman(h.deps)?.title).toBe('older');
  });
});
