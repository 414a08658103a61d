import { expect } from 'vitest';
import type { DemoResult } from '../demo.js';

/** What a finished demo must show, whichever way it was run. */
export const expectFullFlow = (r: DemoResult): void => {
  expect(r.issue).toBe('sandbox/hello-k3sc#1');
  expect(r.labels).toEqual(['needs-human']);
  expect(r.prNumber).toEqual(expect.any(Number));
  expect(r.attempts).toHaveLength(2);
  const [implement, review] = r.attempts;
  expect(implement).toMatchObject({ kind: 'implement', slot: 'claude-a', phase: 'succeeded' });
  expect(review).toMatchObject({ kind: 'review', phase: 'succeeded' });
  expect(review?.slot).not.toBe('claude-a');
  const reviewer = review?.slot ?? '';
  expect(r.transitions).toEqual([
    'ready → claude-a',
    'claude-a → needs-review',
    `needs-review → ${reviewer}`,
    `${reviewer} → needs-human`,
  ]);
};
