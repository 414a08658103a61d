import { describe, expect, it } from 'vitest';
import { billingBlocks, projectBlock } from './billing-blocks.js';
import { tokenCost } from './claude-pricing.js';
import { dedupeEntries, parseTranscriptLine, sumEntries, type UsageEntry } from './claude-transcripts.js';

const line = (o: { id: string; at: string; out?: number; model?: string; cost?: number; req?: string }) =>
  JSON.stringify({
    type: 'assistant',
    sessionId: 's1',
    timestamp: o.at,
    requestId: o.req ?? `req_${o.id}`,
    ...(o.cost === undefined ? {} : { costUSD: o.cost }),
    message: {
      id: o.id,
      model: o.model ?? 'claude-sonnet-4-5-20250929',
      usage: {
        input_tokens: 1000,
        output_tokens: o.out ?? 500,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  });

const entry = (id: string, at: string, costUsd = 1): UsageEntry => ({
  key: id,
  sessionId: 's',
  model: 'm',
  at: Date.parse(at),
  inputTokens: 0,
  outputTokens: 0,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  costUsd,
});

describe('transcript usage', () => {
  it('reads an assistant line; other lines and broken ones are skipped', () => {
    expect(parseTranscriptLine(line({ id: 'm1', at: '2026-12-01T10:00:00Z' }), 'f')).toMatchObject({
      key: 'm1:req_m1',
      sessionId: 's1',
      inputTokens: 1000,
      outputTokens: 500,
    });
    expect(parseTranscriptLine('{"type":"user","message":{"content":"hi"}}', 'f')).toBeUndefined();
    expect(parseTranscriptLine('{"usage": broken', 'f')).toBeUndefined();
  });

  it('counts a message repeated per content block once, with its largest counts', () => {
    const lines = [
      line({ id: 'm1', at: '2026-12-01T10:00:00Z', out: 10 }),
      line({ id: 'm1', at: '2026-12-01T10:00:01Z', out: 500 }),
      line({ id: 'm2', at: '2026-12-01T10:01:00Z' }),
    ];
    const entries = dedupeEntries(lines.flatMap((l) => parseTranscriptLine(l, 'f') ?? []));
    const sum = sumEntries(entries);
    expect(sum.messages).toBe(2);
    expect(sum.outputTokens).toBe(1000);
    // Sonnet: $3 in, $15 out per million.
    expect(sum.costUsd).toBeCloseTo((2 * (1000 * 3 + 500 * 15)) / 1e6, 10);
  });

  it("prefers the transcript's own cost, and reports models it cannot price", () => {
    const a = parseTranscriptLine(line({ id: 'a', at: '2026-12-01T10:00:00Z', cost: 0.5 }), 'f');
    const b = parseTranscriptLine(line({ id: 'b', at: '2026-12-01T10:00:00Z', model: 'mystery-1' }), 'f');
    const sum = sumEntries([a, b].flatMap((e) => e ?? []));
    expect(sum.costUsd).toBe(0.5);
    expect(sum.unpriced).toEqual(['mystery-1']);
    expect(
      tokenCost('claude-opus-4-5', {
        inputTokens: 1e6,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      }),
    ).toBe(5);
    expect(
      tokenCost('claude-opus-4-1', {
        inputTokens: 1e6,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      }),
    ).toBe(15);
  });
});

describe('5-hour billing blocks', () => {
  it('opens a block on the hour of its first message; a message 5 h after the start or after a 5 h gap opens the next', () => {
    const entries = [
      entry('a', '2026-12-01T08:20:00Z'),
      entry('b', '2026-12-01T12:59:00Z'),
      entry('c', '2026-12-01T13:05:00Z'),
      entry('d', '2026-12-01T19:00:00Z'),
    ];
    const blocks = billingBlocks(entries, new Date('2026-12-01T19:30:00Z'));
    expect(blocks.map((b) => [b.start.slice(11, 16), b.messages, b.active])).toEqual([
      ['08:00', 2, false],
      ['13:00', 1, false],
      ['19:00', 1, true],
    ]);
  });

  it('projects the open block at its burn rate to its end', () => {
    const entries = [entry('a', '2026-12-01T10:00:00Z', 1), entry('b', '2026-12-01T10:30:00Z', 2)];
    const now = new Date('2026-12-01T11:00:00Z');
    const [block] = billingBlocks(entries, now);
    if (!block) throw new Error('no block');
    const p = projectBlock(block, entries, now);
    expect(p.burnRatePerMinute).toBeCloseTo(3 / 30, 10);
    expect(p.remainingMinutes).toBe(240);
    expect(p.projectedCostUsd).toBeCloseTo(3 + (3 / 30) * 240, 10);
  });
});
