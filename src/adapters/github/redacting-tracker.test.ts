import { describe, expect, it } from 'vitest';
import { makeRedactor } from '../../core/secrets/index.js';
import type { IssueTracker } from '../../core/ports/issue-tracker.js';
import { MemoryTracker } from '../../testing/memory-tracker.js';
import { RedactingTracker } from './redacting-tracker.js';

const R = { owner: 'acme', name: 'widgets' };
const PLANTED = 'planted-signing-key-1234';
const SHAPED = 'sk-proj-AbCdEfGhIjKlMnOp1234567890QrStUvWx';

describe('RedactingTracker', () => {
  it('redacts comment bodies (known values and token shapes) and passes reads and labels through', async () => {
    const inner = new MemoryTracker();
    inner.addRepo(R);
    const ref = inner.addIssue({ repo: R, title: 'a', author: 'alice' });
    const t: IssueTracker = new RedactingTracker(inner, makeRedactor([PLANTED]));
    await t.comment(ref, `k3sc: attempt failed: ${PLANTED} / ${SHAPED}`, AbortSignal.timeout(5_000));
    await t.changeLabels(ref, { add: ['ready'], remove: [] });
    expect(inner.comments(ref)).toEqual(['k3sc: attempt failed: *** / ***']);
    expect(inner.labels(ref)).toEqual(['ready']);
    expect((await t.listWorkItems(R)).issues.map((i) => i.number)).toEqual([ref.number]);
  });

  it('passes any further comment arguments through untouched', async () => {
    const seen: unknown[][] = [];
    const inner = new MemoryTracker();
    const spy = Object.assign(Object.create(inner) as MemoryTracker, {
      comment: (...args: unknown[]) => (seen.push(args), Promise.resolve()),
    });
    const ref = { repo: R, number: 1 };
    const signal = new AbortController().signal;
    const opts = { marker: 'attempt-1' };
    const extra = [signal, opts] as unknown as [AbortSignal];
    await new RedactingTracker(spy, makeRedactor([PLANTED])).comment(ref, PLANTED, ...extra);
    expect(seen).toEqual([[ref, '***', signal, opts]]);
  });
});
