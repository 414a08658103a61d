import { describe, expect, it } from 'vitest';
import { measureChatBudget } from './chat-budget.js';

describe('chat budget bench', () => {
  it('sends within Slack limits (zero 429s) while the naive baseline is refused', async () => {
    const r = await measureChatBudget(20);
    expect(r.figures.budgeted.refused).toBe(0);
    expect(r.figures.naive.refused).toBeGreaterThan(0);
    expect(r.figures.budgeted.calls).toBeLessThan(r.figures.naive.calls);
    expect(r.findings).toEqual([]);
  });
});
