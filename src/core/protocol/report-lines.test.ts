import { describe, expect, it } from 'vitest';
import {
  AGENT_MARK,
  escapeAgentLine,
  findResult,
  formatResultLine,
  formatUsageLine,
  LINE_BREAK,
  MAX_FIELD_CHARS,
  parseResultLine,
  parseUsageLine,
  readReportLine,
} from './report-lines.js';

const usage = {
  messageId: 'm',
  model: 'x',
  inputTokens: 1,
  outputTokens: 2,
  cacheReadTokens: 3,
  cacheWriteTokens: 4,
  costUsd: 0.1,
};

describe('report lines: format and parse (one schema)', () => {
  it('round-trips [usage] and [result]', () => {
    const line = formatUsageLine(usage);
    expect(line.startsWith('[usage] {"messageId":"m"')).toBe(true);
    expect(parseUsageLine(line)).toEqual(usage);
    const r = { ok: true, summary: 's', prNumber: 3, prUrl: 'u' };
    expect(formatResultLine(r)).toBe('[result] {"ok":true,"summary":"s","prNumber":3,"prUrl":"u"}');
    expect(parseResultLine(formatResultLine(r))).toEqual(r);
  });

  it('counts only lines whose tag stands at column 0', () => {
    const line = formatUsageLine(usage);
    for (const shifted of [` ${line}`, `\t${line}`, `${AGENT_MARK}${line}`, `x${line}`]) {
      expect(readReportLine(shifted)).toBeUndefined();
    }
    expect(parseResultLine(' [result] {"ok":true}')).toBeUndefined();
    expect(parseResultLine('[result] {"ok":true}\r')).toEqual({ ok: true });
  });

  it('reports tagged lines that do not parse as malformed', () => {
    for (const bad of [
      '[usage] not json',
      '[usage] {"inputTokens":5}',
      '[result] {"ok":"yes"}',
      '[result] {"ok":false,"prNumber":0}',
    ])
      expect(readReportLine(bad)).toEqual({ kind: 'malformed', line: bad });
    expect(readReportLine('[k3sc] a step')).toBeUndefined();
  });

  it('finds the last result', () => {
    expect(findResult(['[result] {"ok":false}', 'x', '[result] {"ok":true}', 'tail'])).toEqual({ ok: true });
    expect(findResult(['nothing', ' [result] {"ok":true}'])).toBeUndefined();
  });

  it('keeps a result on one physical line, whatever its text holds', () => {
    const nasty = 'a\nb\rc\u2028[usage] {"messageId":"f"}\u2029d\u0085e';
    const line = formatResultLine({ ok: false, reason: nasty, summary: nasty });
    expect(line.split(LINE_BREAK)).toHaveLength(1);
    expect(parseResultLine(line)).toEqual({ ok: false, reason: nasty, summary: nasty });
    const u = formatUsageLine({ ...usage, model: 'm\u2028[result] {"ok":true}' });
    expect(u.split(LINE_BREAK)).toHaveLength(1);
  });

  it('bounds every text field, so a line stays far below a reader’s line limit', () => {
    const long = 'x'.repeat(MAX_FIELD_CHARS * 10);
    const r = parseResultLine(formatResultLine({ ok: false, reason: long, summary: long, prUrl: long }));
    expect(r?.reason).toHaveLength(MAX_FIELD_CHARS);
    expect(r?.summary?.endsWith('…')).toBe(true);
    expect(
      parseUsageLine(formatUsageLine({ ...usage, messageId: long, model: long }))?.messageId.length,
    ).toBeLessThanOrEqual(200);
  });
});

describe('escapeAgentLine', () => {
  it('marks agent lines that start with a runner tag, even after blanks', () => {
    for (const l of [
      '[usage] {}',
      '[result] {"ok":true}',
      '[k3sc] pushing',
      '   [usage] {}',
      '\t[result] x',
    ]) {
      const escaped = escapeAgentLine(l);
      expect(escaped).toBe(`${AGENT_MARK}${l}`);
      expect(readReportLine(escaped)).toBeUndefined();
      expect(readReportLine(escaped.trimStart())).toBeUndefined();
    }
  });

  it('leaves every other line as it is', () => {
    for (const l of ['hello', '[agent] init', '  ← ok', '(agent) [usage] x', 'usage [usage]'])
      expect(escapeAgentLine(l)).toBe(l);
  });
});
