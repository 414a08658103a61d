import { describe, expect, it } from 'vitest';
import { measureDashboardPush } from './web-dashboard-push.js';

describe('bench: dashboard renders, pushed vs the 2 s tick', () => {
  it('renders far less idle and under load, and nothing without a page open', async () => {
    const { figures, findings } = await measureDashboardPush(() => undefined);
    const row = (name: string) => figures.rows.find((r) => r.scenario.startsWith(name))!;
    expect(row('idle').pushed).toEqual({ renders: 5, frames: 1 }); // the first, then every 15 s
    expect(row('idle').tick.renders).toBe(31); // the first, then every 2 s
    const busy = row('26 running attempts, 1');
    expect(busy.pushed.renders).toBeLessThan(busy.tick.renders);
    expect(busy.pushed.renders).toBeGreaterThan(10); // every burst was shown
    expect(row('26 attempts end').pushed.renders).toBeLessThanOrEqual(7); // 78 events in 780 ms: 3 renders, plus the first and 3 safety ticks
    expect(row('26 running attempts, no page').pushed.renders).toBe(0);
    expect(findings).toEqual([]);
  });
});
