import { describe, expect, it } from 'vitest';
import { parseConfigText } from './parse-config-text.js';
import { MAX_FLOW_DEPTH, flowDepth, parseYamlText } from './yaml-source.js';

describe('parseYamlText', () => {
  it('drops __proto__ keys with a warning instead of silently (anywhere in the file)', () => {
    const r = parseYamlText(
      '__proto__: {a: 1}\nscan:\n  __proto__: {min_interval: 1s}\n  min_interval: 2m\n',
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      'key "__proto__" at (top level) is not allowed — ignored',
      'key "__proto__" at scan is not allowed — ignored',
    ]);
    expect(Object.getPrototypeOf(r.data)).toBe(Object.prototype);
    expect(r.data).toEqual({ scan: { min_interval: '2m' } });
    const { config, warnings } = parseConfigText(
      'allowed_authors: [a]\nrepos: [o/r]\n__proto__: {max_slots: 9}\n',
      {},
      '/k.yaml',
    );
    expect(config.maxSlots).toBe(5);
    expect(warnings).toEqual(['key "__proto__" at (top level) is not allowed — ignored']);
  });

  it('refuses deep bracket nesting cleanly (10,000 levels crashed the process inside yaml)', () => {
    const r = parseYamlText(`a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    expect(r.errors).toEqual([`YAML: nested more than ${MAX_FLOW_DEPTH} levels deep`]);
  });

  it('counts bracket depth outside quotes and comments only', () => {
    expect(flowDepth('a: {b: [1, {c: 2}]}', 64)).toBe(3);
    expect(flowDepth(`a: "[[[[" # {{{{\nb: '[[[' \nc: it's [x]`, 64)).toBe(1);
    expect(flowDepth('a: "\\"[[[["', 64)).toBe(0);
  });
});
