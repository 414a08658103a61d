import { describe, expect, it } from 'vitest';
import { GITHUB_CLOSING_WORDS, autoClosePatternSource, findAutoClosePhrase } from './auto-close.js';
import { isGhCommandAllowed } from './gh-allowlist.js';

const words = GITHUB_CLOSING_WORDS;

describe('findAutoClosePhrase', () => {
  it.each([
    'Fixes #12',
    'fix #12',
    'This CLOSES #3 finally',
    'Resolved: #7',
    'closes acme/widgets#12',
    'fixes https://github.com/acme/widgets/issues/12',
    'Add notes\n\nFixes #12',
  ])('refuses %j', (msg) => {
    expect(findAutoClosePhrase(msg, words)).toBeDefined();
  });

  it.each([
    'Refs #12',
    'Add notes for issue 12',
    'prefixes #12 are fine',
    'fix the bug in #12-style refs?'.replace('#12', 'issue 12'),
    'fixed-width #',
  ])('accepts %j', (msg) => {
    expect(findAutoClosePhrase(msg, words)).toBeUndefined();
  });

  it('returns the phrase it found', () => {
    expect(findAutoClosePhrase('Work done. Fixes #12.', words)).toBe('Fixes #12');
  });

  it('uses extra words from the config and escapes them', () => {
    expect(findAutoClosePhrase('implements #4', ['implements'])).toBe('implements #4');
    expect(findAutoClosePhrase('a+b #4', ['a+b'])).toBe('a+b #4');
    expect(findAutoClosePhrase('aab #4', ['a+b'])).toBeUndefined();
  });

  it('has no rule without words', () => {
    expect(autoClosePatternSource([' ', ''])).toBeUndefined();
    expect(findAutoClosePhrase('Fixes #1', [])).toBeUndefined();
  });
});

describe('isGhCommandAllowed', () => {
  const allowed = ['pr view', 'pr comment', 'issue view'];
  it('allows listed subcommands with any further arguments', () => {
    expect(isGhCommandAllowed(['pr', 'view', '12', '--json', 'url'], allowed)).toBe(true);
    expect(isGhCommandAllowed(['issue', 'view', '3'], allowed)).toBe(true);
  });
  it('refuses everything else', () => {
    expect(isGhCommandAllowed(['pr', 'merge', '12'], allowed)).toBe(false);
    expect(isGhCommandAllowed(['pr'], allowed)).toBe(false);
    expect(isGhCommandAllowed(['api', 'repos/x'], allowed)).toBe(false);
    expect(isGhCommandAllowed([], allowed)).toBe(false);
    expect(isGhCommandAllowed(['pr', 'view'], [' '])).toBe(false);
  });
});
