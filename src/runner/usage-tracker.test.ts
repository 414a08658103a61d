import { describe, expect, it } from 'vitest';
import { UsageTracker, type UsageSample } from './usage-tracker.js';

const sample = (messageId: string, out = 10): UsageSample => ({
  messageId,
  model: 'm',
  inputTokens: 5,
  outputTokens: out,
  cacheReadTokens: 1,
  cacheWriteTokens: 2,
});

describe('UsageTracker', () => {
  it('releases one record per message id, repeats merged', () => {
    const t = new UsageTracker();
    expect(t.add(sample('a', 3))).toEqual([]);
    expect(t.add(sample('a', 10))).toEqual([]);
    const released = t.add(sample('b'));
    expect(released).toEqual([{ ...sample('a', 10), costUsd: 0 }]);
    expect(t.add(sample('a', 99))).toEqual([]);
    expect(t.add(sample('b'))).toEqual([]);
    expect(t.finish(0.5, 'x:result')).toEqual([{ ...sample('b'), costUsd: 0.5 }]);
    expect(t.finish(0.5, 'x:result')).toEqual([]);
  });

  it('records a cost with no messages under the fallback id, once', () => {
    const t = new UsageTracker();
    const [only] = t.finish(0.25, 'run:result');
    expect(only).toMatchObject({ messageId: 'run:result', costUsd: 0.25, inputTokens: 0 });
    expect(new UsageTracker().finish(0, 'run:result')).toEqual([]);
  });
});
