import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attemptName, branchFor, issueForBranch, leaseName } from './attempt-name.js';

describe('attemptName and leaseName', () => {
  it('are deterministic and DNS-1123 friendly', () => {
    const repo = { owner: 'Acme_Corp', name: 'Widgets.JS' };
    expect(attemptName(repo, 12, 3)).toMatch(/^acme-corp-widgets-js-[0-9a-f]{6}-12-3$/);
    expect(attemptName({ ...repo }, 12, 3)).toBe(attemptName(repo, 12, 3));
    expect(leaseName(repo, 40)).toMatch(/^acme-corp-widgets-js-[0-9a-f]{6}-pr-40$/);
    expect(attemptName({ owner: 'acme', name: 'widgets' }, 12, 3)).toBe('acme-widgets-12-3');
  });

  it('keep repositories apart whose slugs would collide', () => {
    const a = attemptName({ owner: 'acme', name: 'widgets.js' }, 1, 1);
    const b = attemptName({ owner: 'acme', name: 'widgets-js' }, 1, 1);
    expect(a).not.toBe(b);
    expect(b).toBe('acme-widgets-js-1-1');
  });

  it('differ by repository, issue and attempt number', () => {
    const names = new Set([
      attemptName({ owner: 'o', name: 'r' }, 1, 1),
      attemptName({ owner: 'o', name: 's' }, 1, 1),
      attemptName({ owner: 'o', name: 'r' }, 11, 1),
      attemptName({ owner: 'o', name: 'r' }, 1, 2),
    ]);
    expect(names.size).toBe(4);
  });

  it('always produce lowercase [a-z0-9-] with no leading or trailing dash', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 1, max: 99999 }),
        (owner, name, n) => {
          const a = attemptName({ owner: `x${owner}`, name: `y${name}` }, n, 1);
          return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(a);
        },
      ),
    );
  });
});

describe('branchFor and issueForBranch', () => {
  it('round-trip for any issue number and pattern', () => {
    const pattern = fc
      .tuple(fc.constantFrom('', 'issue-', 'k3sc/', 'fix-'), fc.constantFrom('', '-wip', '/agent'))
      .map(([a, b]) => `${a}{N}${b}`);
    fc.assert(
      fc.property(
        pattern,
        fc.integer({ min: 1, max: 1_000_000 }),
        (p, n) => issueForBranch(p, branchFor(p, n)) === n,
      ),
    );
  });

  it('rejects branches that do not match the pattern', () => {
    for (const b of ['issue-', 'issue-0', 'issue-01', 'issue-1a', 'feature-1', 'issue-1-x', 'issue--1'])
      expect(issueForBranch('issue-{N}', b)).toBeUndefined();
    expect(issueForBranch('issue-{N}', 'issue-42')).toBe(42);
    expect(branchFor('issue-{N}', 7)).toBe('issue-7');
  });
});
