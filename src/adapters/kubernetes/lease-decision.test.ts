import { describe, expect, it } from 'vitest';
import { leaseVerdict, observe } from './lease-decision.js';

const D = 15_000;

describe('lease decisions (injected time)', () => {
  it('a held lease becomes free only a full duration after its last change was seen here', () => {
    const seen = observe(undefined, { holder: 'a', renewTime: 't1' }, 1_000);
    expect(leaseVerdict('b', seen, 1_000 + D - 1, D)).toBe('held');
    expect(leaseVerdict('b', seen, 1_000 + D, D)).toBe('free');
    // a renewal (new renewTime) restarts the wait, whatever the holder's own clock says
    const renewed = observe(seen, { holder: 'a', renewTime: 't2' }, 10_000);
    expect(leaseVerdict('b', renewed, 1_000 + D, D)).toBe('held');
    // reading the same record again does not move the observation time
    expect(observe(renewed, { holder: 'a', renewTime: 't2' }, 12_000)).toBe(renewed);
  });
  it('is mine when I hold it and free when released', () => {
    const mine = observe(undefined, { holder: 'me', renewTime: 't' }, 0);
    expect(leaseVerdict('me', mine, 0, D)).toBe('mine');
    expect(leaseVerdict('me', observe(mine, { holder: '', renewTime: 't' }, 1), 1, D)).toBe('free');
  });
});
