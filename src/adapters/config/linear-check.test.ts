import { describe, expect, it } from 'vitest';
import { ConfigInvalidError } from './config-error.js';
import { parseConfigText } from './parse-config-text.js';
import { countingMeter } from './work-meter.js';

/**
 * A15: `config check` was quadratic in the number of keys (20,000 keys: 49 s). The checker
 * counts its steps on a meter; doubling the keys must about double the steps (quadratic work
 * would quadruple them). No timing involved.
 */
const lines = (n: number, line: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => line(i)).join('\n');

const SHAPES: Readonly<Record<string, (n: number) => string>> = {
  'unknown top-level keys': (n) => lines(n, (i) => `key${i}: ${i}`),
  'unknown keys inside a section': (n) => `scan:\n${lines(n, (i) => `  key${i}: ${i}`)}`,
  'an agent env map': (n) => `agents:\n  claude:\n    env:\n${lines(n, (i) => `      VAR_${i}: v${i}`)}`,
  'duplicate keys': (n) => lines(n, (i) => `key${i % (n / 2)}: ${i}`),
  'families listed twice': (n) => `families:\n${lines(n, (i) => `  - f${i % (n / 2)}x`)}`,
  'bad repos that look like tokens': (n) =>
    `repos:\n${lines(n, (i) => `  - ghp_abcdefghijklmnopqrstuvwxyz${String(i).padStart(10, '0')}`)}`,
  'agents for unknown families': (n) => `agents:\n${lines(n, (i) => `  a${i}x: {model: m}`)}`,
};

const stepsFor = (text: string): { steps: number; problems: number; warnings: number } => {
  const meter = countingMeter();
  try {
    const { warnings } = parseConfigText(text, {}, '/etc/k3sc.yaml', { homeDir: '/home/me', meter });
    return { steps: meter.count, problems: 0, warnings: warnings.length };
  } catch (err) {
    if (!(err instanceof ConfigInvalidError)) throw err;
    return { steps: meter.count, problems: err.problems.length, warnings: err.warnings.length };
  }
};

describe('config checking is linear in the size of the file (A15)', () => {
  it.each(Object.keys(SHAPES))('%s: twice the keys take about twice the steps', (shape) => {
    const make = SHAPES[shape] ?? ((): string => '');
    // The reported case at full size once; the other shapes at a fifth of it keep the suite quick.
    const n = shape === 'unknown top-level keys' ? 10_000 : 2_000;
    const small = stepsFor(make(n));
    const large = stepsFor(make(2 * n));
    expect(small.steps).toBeGreaterThan(n);
    expect(large.steps / small.steps).toBeGreaterThan(1.8);
    expect(large.steps / small.steps).toBeLessThan(2.2);
  });

  it('still reports every one of 20,000 unknown keys, and every duplicate with its line', () => {
    // 20,000 unknown keys, plus "repos is empty" and "allowed_authors is empty".
    expect(stepsFor(SHAPES['unknown top-level keys']?.(20_000) ?? '').warnings).toBe(20_002);
    const dup = stepsFor(SHAPES['duplicate keys']?.(20_000) ?? '');
    expect(dup.problems).toBe(10_000);
    try {
      parseConfigText('namespace: a\nmax_slots: 2\nnamespace: b\n', {}, '/k.yaml');
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigInvalidError).problems).toEqual([
        'YAML line 3, column 1: Map keys must be unique: "namespace" is set twice (first on line 1)',
      ]);
    }
  });
});
