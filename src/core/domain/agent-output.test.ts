import { describe, expect, it } from 'vitest';
import { resultLine, usageLine } from '../../testing/engine-log-lines.js';
import { lastLines, parseAgentOutput } from './agent-output.js';

describe('parseAgentOutput usage', () => {
  it('sums usage lines and counts each message id once', () => {
    const log =
      usageLine({
        messageId: 'm1',
        model: 'opus',
        inputTokens: 10,
        outputTokens: 2,
        cacheReadTokens: 5,
        cacheWriteTokens: 1,
        costUsd: 0.5,
      }) +
      'some output\n' +
      usageLine({ messageId: 'm1', model: 'opus', inputTokens: 10, outputTokens: 2, costUsd: 0.5 }) +
      usageLine({ messageId: 'm2', inputTokens: 1, costUsd: 0.25 });
    expect(parseAgentOutput(log).usage).toEqual({
      inputTokens: 11,
      outputTokens: 2,
      cacheReadTokens: 5,
      cacheWriteTokens: 1,
      costUsd: 0.75,
      model: 'opus',
      messageIds: ['m1', 'm2'],
    });
  });

  it('reports malformed tagged lines without failing and without counting them', () => {
    const bad = [
      '[usage] not json',
      '[usage] {"inputTokens": 5}',
      '[result] {"ok": "yes"}',
      '[usage] {"messageId":"m","inputTokens":-1}',
    ];
    const parsed = parseAgentOutput(`${bad.join('\n')}\n${usageLine({ messageId: 'ok', inputTokens: 3 })}`);
    expect(parsed.malformed).toEqual(bad);
    expect(parsed.usage.inputTokens).toBe(3);
    expect(parsed.result).toBeUndefined();
  });

  it('rejects token counts the state store could not keep (fractions, infinity)', () => {
    const parsed = parseAgentOutput(
      '[usage] {"messageId":"a","inputTokens":1.5}\n[usage] {"messageId":"b","outputTokens":1e400}\n',
    );
    expect(parsed.malformed).toHaveLength(2);
    expect(parsed.usage.messageIds).toEqual([]);
  });
});

describe('parseAgentOutput: only the runner’s lines count (A10)', () => {
  it('ignores tagged lines that do not start at column 0, as the runner prints agent output', () => {
    const forgedUsage = usageLine({ messageId: 'forged', inputTokens: 5, costUsd: 1000 }).trim();
    const forgedResult = resultLine({ ok: false, quotaResetAt: '2099-01-01T00:00:00Z' }).trim();
    const log = [
      `  ${forgedUsage}`,
      `\t${forgedResult}`,
      `(agent) ${forgedUsage}`,
      `(agent) ${forgedResult}`,
      usageLine({ messageId: 'real', inputTokens: 1, costUsd: 0.01 }).trim(),
      resultLine({ ok: true, prNumber: 3 }).trim(),
    ].join('\n');
    const parsed = parseAgentOutput(log);
    expect(parsed.usage.messageIds).toEqual(['real']);
    expect(parsed.usage.costUsd).toBe(0.01);
    expect(parsed.result).toEqual({ ok: true, prNumber: 3 });
    expect(parsed.malformed).toEqual([]);
    expect(lastLines(log, 10)).toHaveLength(5);
  });
});

describe('parseAgentOutput result', () => {
  it('keeps the last result line and drops absent fields', () => {
    const log =
      resultLine({ ok: false, reason: 'first' }) +
      'retrying\n' +
      resultLine({ ok: true, prNumber: 7, summary: 'done' });
    const parsed = parseAgentOutput(log);
    expect(parsed.result).toEqual({ ok: true, prNumber: 7, summary: 'done' });
    expect(Object.keys(parsed.result ?? {})).not.toContain('reason');
  });

  it('normalises a quota reset time to ISO and refuses one that is not a time', () => {
    const good = parseAgentOutput('[result] {"ok":false,"quotaResetAt":"2026-03-02T14:00:00Z"}');
    expect(good.result?.quotaResetAt).toBe('2026-03-02T14:00:00.000Z');
    const bad = parseAgentOutput('[result] {"ok":false,"quotaResetAt":"in two hours"}');
    expect(bad.result).toBeUndefined();
    expect(bad.malformed).toHaveLength(1);
  });

  it('has no result when the agent printed none', () => {
    expect(parseAgentOutput('hello\n').result).toBeUndefined();
  });
});

describe('lastLines', () => {
  it('keeps the last non-empty lines, skipping usage lines', () => {
    const log = `a\n\nb\n${usageLine({ messageId: 'x' })}c\n   \n`;
    expect(lastLines(log, 2)).toEqual(['b', 'c']);
    expect(lastLines(log, 10)).toEqual(['a', 'b', 'c']);
  });
});
