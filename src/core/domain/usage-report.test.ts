import { describe, expect, it } from 'vitest';
import { makeAttempt, OTHER } from '../../testing/engine-fixtures.js';
import type { Attempt, UsageTotals } from '../model/attempt.js';
import { isoWeek, usageReport } from './usage-report.js';

const usage = (inputTokens: number, costUsd: number, model?: string): UsageTotals => ({
  inputTokens,
  outputTokens: inputTokens / 10,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd,
  messageIds: [],
  ...(model === undefined ? {} : { model }),
});

const { finishedAt: _notFinished, ...running } = makeAttempt(3, 1, {
  phase: 'running',
  startedAt: '2026-03-01T12:00:00.000Z',
  createdAt: '2026-03-01T11:00:00.000Z',
});

const attempts: Attempt[] = [
  makeAttempt(1, 1, {
    finishedAt: '2026-03-02T10:00:00.000Z',
    usage: usage(100, 1, 'opus'),
    slot: 'claude-a',
  }),
  makeAttempt(1, 2, {
    finishedAt: '2026-03-02T23:59:00.000Z',
    usage: usage(200, 2, 'opus'),
    slot: 'codex-a',
  }),
  makeAttempt(2, 1, {
    finishedAt: '2026-03-09T08:00:00.000Z',
    usage: usage(50, 0.5, 'sonnet'),
    slot: 'claude-a',
    repo: OTHER,
  }),
  running,
];

describe('usageReport', () => {
  const report = usageReport(attempts);

  it('totals every attempt, counting those without usage as zero', () => {
    expect(report.total).toEqual({
      key: 'total',
      attempts: 4,
      inputTokens: 350,
      outputTokens: 35,
      costUsd: 3.5,
    });
  });

  it('groups by day of finish (else start), by ISO week, model, repo and agent', () => {
    const rows = (xs: { key: string; costUsd: number; attempts: number }[]) =>
      xs.map((r) => `${r.key}:${r.attempts}:${r.costUsd}`);
    expect(rows(report.byDay)).toEqual(['2026-03-01:1:0', '2026-03-02:2:3', '2026-03-09:1:0.5']);
    expect(rows(report.byWeek)).toEqual(['2026-W09:1:0', '2026-W10:2:3', '2026-W11:1:0.5']);
    expect(rows(report.byModel)).toEqual(['opus:2:3', 'sonnet:1:0.5', 'unknown:1:0']);
    expect(rows(report.byRepo)).toEqual(['o/r:3:3', 'o/s:1:0.5']);
    expect(rows(report.byAgent)).toEqual(['claude-a:3:1.5', 'codex-a:1:2']);
  });

  it('is all zeros for no attempts', () => {
    expect(usageReport([]).total).toEqual({
      key: 'total',
      attempts: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    });
  });
});

describe('isoWeek', () => {
  it('numbers weeks from Monday with ISO-8601 year boundaries', () => {
    expect(isoWeek(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2026-03-08T23:59:59Z'))).toBe('2026-W10');
    expect(isoWeek(new Date('2026-03-09T00:00:00Z'))).toBe('2026-W11');
  });
});
