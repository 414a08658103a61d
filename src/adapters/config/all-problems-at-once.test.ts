import { describe, expect, it } from 'vitest';
import { ConfigInvalidError } from './config-error.js';
import { parseConfigText } from './parse-config-text.js';

const problemsOf = (yaml: string, env: Record<string, string> = {}): string[] => {
  try {
    parseConfigText(yaml, { HOME: '/home/me', ...env }, '/home/me/.k3sc.yaml', { secretFiles: {} });
  } catch (err) {
    if (err instanceof ConfigInvalidError) return [...err.problems];
    throw err;
  }
  throw new Error('expected the config to be rejected');
};

describe('a broken section does not hide problems found by later stages', () => {
  it('reports schema errors together with secret-file and cross-section problems', () => {
    const problems = problemsOf(
      [
        'repos: [{ owner: a, name: b }]',
        'allowed_authors: [x]',
        'families: [claude, gemini]',
        'safety: { branch_pattern: "no-number-here" }',
        'github: { token_file: /nonexistent/token }',
      ].join('\n'),
    );
    const text = problems.join('\n');
    expect(text).toMatch(/safety\.branch_pattern/);
    expect(text).toMatch(/agents\.gemini/);
    expect(text).toMatch(/nonexistent\/token/);
  });

  it('still reports a bad MAX_SLOTS when a section is broken', () => {
    const problems = problemsOf('scan: { min_interval: 2x }\n', { MAX_SLOTS: 'lots' });
    expect(problems.join('\n')).toMatch(/scan\.min_interval/);
    expect(problems.join('\n')).toMatch(/MAX_SLOTS/);
  });
});
