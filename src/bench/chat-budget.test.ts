import { describe, expect, it } from 'vitest';
import { measureChatBudget } from './chat-budget.js';
import { measureChatBudgetLive } from './chat-budget-live.js';

describe('chat budget bench', () => {
  it('sends within Slack limits (zero 429s) while the naive baseline is refused', async () => {
    const r = await measureChatBudget(20);
    expect(r.figures.budgeted.refused).toBe(0);
    expect(r.figures.naive.refused).toBeGreaterThan(0);
    expect(r.figures.budgeted.calls).toBeLessThan(r.figures.naive.calls);
    expect(r.findings).toEqual([]);
  });
});

describe('chat budget bench in real time (real outbox against the Slack fake)', () => {
  it('the budget stays at zero 429s while the naive baseline, run at the same time, is refused', async () => {
    const r = await measureChatBudgetLive(4);
    expect(r.figures.budgeted.refused).toBe(0);
    expect(r.figures.naive.refused).toBeGreaterThan(0);
    expect(r.figures.budgeted.posts).toBeGreaterThan(0);
    expect(r.findings).toEqual([]);
  }, 30_000);
});
