import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodIssues, formatJsonPath } from './describe-zod-issues.js';

describe('formatJsonPath', () => {
  it('writes identifiers with dots, other keys in brackets, indexes as numbers', () => {
    expect(formatJsonPath(['attempts', 'acme-widgets-12-1', 'lastLines', 2])).toBe(
      'attempts["acme-widgets-12-1"].lastLines[2]',
    );
    expect(formatJsonPath(['dispatch', 'quotaUntil', 'claude'])).toBe('dispatch.quotaUntil.claude');
    expect(formatJsonPath([])).toBe('(top level)');
  });
});

describe('describeZodIssues', () => {
  it('keeps the first problems and counts the rest', () => {
    const result = z.array(z.number()).safeParse(['a', 'b', 'c', 'd']);
    expect(result.success).toBe(false);
    const lines = describeZodIssues(result.error!.issues, 2);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\[0\]: .*number/);
    expect(lines[2]).toBe('… and 2 more');
  });
});
