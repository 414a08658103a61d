import { describe, expect, it } from 'vitest';
import { isK3scError } from '../errors.js';
import { parseIssueRef } from './parse-issue-ref.js';

const R = { owner: 'acme', name: 'widgets' };
const S = { owner: 'acme', name: 'gadgets' };
const T = { owner: 'other', name: 'widgets' };

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (isK3scError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
};

describe('parseIssueRef', () => {
  it('reads owner/repo#N, matching the configured repo case-insensitively', () => {
    expect(parseIssueRef('acme/widgets#12', [S, R])).toEqual({ repo: R, number: 12 });
    expect(parseIssueRef(' ACME/Widgets#3 ', [R])).toEqual({ repo: R, number: 3 });
  });

  it('reads repo#N only when one configured repo has that name', () => {
    expect(parseIssueRef('gadgets#5', [R, S, T])).toEqual({ repo: S, number: 5 });
    expect(code(() => parseIssueRef('widgets#5', [R, S, T]))).toMatch(
      /^ambiguous: .*acme\/widgets and other\/widgets/,
    );
  });

  it('reads a bare number (with or without #) only with exactly one repo', () => {
    expect(parseIssueRef('7', [R])).toEqual({ repo: R, number: 7 });
    expect(parseIssueRef('#7', [R])).toEqual({ repo: R, number: 7 });
    expect(code(() => parseIssueRef('7', [R, S]))).toMatch(/^ambiguous: .*owner\/repo#7/);
    expect(code(() => parseIssueRef('7', []))).toMatch(/^ambiguous/);
  });

  it('never falls back to the first repo for an unknown repository', () => {
    expect(code(() => parseIssueRef('nope/widgets#1', [R, S]))).toMatch(
      /^not_found: repository nope\/widgets is not configured/,
    );
    expect(code(() => parseIssueRef('nope#1', [R, S]))).toMatch(
      /^not_found: no configured repository is named nope/,
    );
  });

  it('rejects malformed references with a hint', () => {
    for (const bad of ['', 'acme/widgets', 'acme/widgets#0', 'widgets#-1', '12abc', 'a/b/c#1'])
      expect(code(() => parseIssueRef(bad, [R]))).toMatch(/^bad_input: .*owner\/repo#N/);
  });
});
