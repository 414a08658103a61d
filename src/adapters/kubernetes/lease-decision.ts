/** What an elector knows about the Lease: the last record it read and when it first saw it. */
export interface ObservedLease {
  readonly holder: string;
  /** The record's renewTime as a string: a change of it means the holder is alive. */
  readonly renewTime: string;
  /** This process's clock when the record last changed (never the holder's clock: no skew). */
  readonly observedAtMs: number;
}

export type LeaseVerdict = 'mine' | 'held' | 'free';

/**
 * Whether this elector may write the Lease now: it is already its holder, nobody holds it,
 * or the holder has not renewed for a whole lease duration as measured on this machine.
 */
export const leaseVerdict = (
  me: string,
  observed: ObservedLease,
  nowMs: number,
  leaseDurationMs: number,
): LeaseVerdict => {
  if (observed.holder === me) return 'mine';
  if (observed.holder === '') return 'free';
  return nowMs >= observed.observedAtMs + leaseDurationMs ? 'free' : 'held';
};

/** The observation after reading `record`: its time only moves when the record changed. */
export const observe = (
  prev: ObservedLease | undefined,
  record: { holder: string; renewTime: string },
  nowMs: number,
): ObservedLease =>
  prev !== undefined && prev.holder === record.holder && prev.renewTime === record.renewTime
    ? prev
    : { ...record, observedAtMs: nowMs };
