import { describe, expect, it } from 'vitest';
import { formatCursor, overBudget, parseCursor, pendingLines, sseFrame } from './sse-cursor.js';

describe('SSE cursor (the id of every event)', () => {
  it('round-trips the dashboard sequence and every watched log', () => {
    const c = { dash: 7, logs: [12, 0, 3] };
    expect(formatCursor(c)).toBe('7.12.0.3');
    expect(parseCursor('7.12.0.3', 3)).toEqual(c);
    expect(parseCursor(' 4 ', 0)).toEqual({ dash: 4, logs: [] });
  });

  it('refuses malformed ids and ids for another watch list', () => {
    for (const bad of [undefined, '', 'abc', '1..2', '-1.2', '1.2.', '1e3', '1.2.3'])
      expect(parseCursor(bad, 1)).toBeUndefined();
    expect(parseCursor('1.2', 2)).toBeUndefined();
    expect(parseCursor('9999999999999999.1', 1)).toBeUndefined();
  });

  it('sends exactly the lines after the cursor, and nothing when the cursor is ahead', () => {
    expect(pendingLines(10, 4)).toEqual({ from: 4, to: 10 });
    expect(pendingLines(10, 0)).toEqual({ from: 0, to: 10 });
    expect(pendingLines(10, 10)).toEqual({ from: 10, to: 10 });
    // A restarted server still re-reading the log: wait, never resend.
    expect(pendingLines(3, 8)).toEqual({ from: 3, to: 3 });
  });

  it('frames multi-line data as several data lines', () => {
    expect(sseFrame({ id: '1.2', event: 'log', data: 'a\nb' })).toBe(
      'id: 1.2\nevent: log\ndata: a\ndata: b\n\n',
    );
    expect(sseFrame({ data: 'x' })).toBe('data: x\n\n');
  });

  it('cuts a client off only past the limit', () => {
    expect(overBudget(100, 100)).toBe(false);
    expect(overBudget(101, 100)).toBe(true);
  });
});
