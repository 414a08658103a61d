import { describe, expect, it } from 'vitest';
import {
  findResult,
  formatResultLine,
  formatUsageLine,
  parseResultLine,
  parseUsageLine,
} from '../core/protocol/report-lines.js';
import { makeRedactor, secretValuesOf } from '../core/secrets/index.js';
import { mentionsPull, summaryOf } from './handoff.js';

describe('report lines', () => {
  it('round-trips [usage] and [result]', () => {
    const u = {
      messageId: 'm',
      model: 'x',
      inputTokens: 1,
      outputTokens: 2,
      cacheReadTokens: 3,
      cacheWriteTokens: 4,
      costUsd: 0.1,
    };
    const line = formatUsageLine(u);
    expect(line.startsWith('[usage] {"messageId":"m"')).toBe(true);
    expect(parseUsageLine(line)).toEqual(u);
    const r = { ok: true, summary: 's', prNumber: 3, prUrl: 'u' };
    expect(parseResultLine(formatResultLine(r))).toEqual(r);
  });

  it('rejects malformed lines and finds the last result', () => {
    expect(parseUsageLine('[usage] {"messageId":1}')).toBeUndefined();
    expect(parseResultLine('[result] nope')).toBeUndefined();
    expect(findResult(['[result] {"ok":false}', 'x', '[result] {"ok":true}', 'tail'])).toEqual({ ok: true });
    expect(findResult(['nothing'])).toBeUndefined();
  });
});

describe('redaction', () => {
  it('replaces secrets, longest first, and skips short values', () => {
    const redact = makeRedactor(['ghp_abcdef123456', 'ghp_abcdef', 'abc', undefined]);
    expect(redact('token ghp_abcdef123456 and ghp_abcdef!')).toBe('token *** and ***!');
    expect(redact('abc stays')).toBe('abc stays');
  });

  it('picks secret-looking environment variables', () => {
    expect(
      secretValuesOf({ GITHUB_TOKEN: 't1', ANTHROPIC_API_KEY: 'k', PATH: '/bin', HOME: '/root' }).sort(),
    ).toEqual(['k', 't1']);
  });
});

describe('hand-off helpers', () => {
  const pr = { number: 7, url: 'https://github.com/a/b/pull/7' };
  it('recognises a comment that links the PR', () => {
    expect(mentionsPull('See https://github.com/a/b/pull/7', pr)).toBe(true);
    expect(mentionsPull('Opened #7 for this', pr)).toBe(true);
    expect(mentionsPull('Opened #70 and a/b#7x', pr)).toBe(false);
  });
  it('summarises from the final text, else the commit subjects', () => {
    expect(summaryOf('  Did it.  ', ['x'])).toBe('Did it.');
    expect(summaryOf(undefined, ['Add a', 'Fix b'])).toBe('Add a; Fix b');
    expect(summaryOf('', [])).toBe('no summary given');
    expect(summaryOf('y'.repeat(5000), []).length).toBe(1500);
  });
});
