/** Farm-wide dispatch state shared by every replica and the CLI. */
export interface DispatchState {
  readonly paused: boolean;
  /** Consecutive scans that found no work; drives the idle back-off. */
  readonly idleScans: number;
  /** Runtime override of max_slots (`scale`); undefined means the configured value. */
  readonly maxSlots?: number;
  /** Families switched off by hand (`disable`). */
  readonly disabledFamilies: readonly string[];
  /** Families out of quota, with the ISO time they may run again. */
  readonly quotaUntil: Readonly<Record<string, string>>;
  /** Index into the enabled families, for rotation. */
  readonly rotation: number;
  readonly lastScanAt?: string;
  readonly nextScanAt?: string;
  /** Issues claimed by hand (`claim --owner`): issue key -> worker. Exempt from the orphan sweep. */
  readonly manualClaims: Readonly<Record<string, string>>;
  /** When an owner label without a live attempt was first seen: issue key -> ISO time. */
  readonly orphansSeen: Readonly<Record<string, string>>;
}

export const initialDispatchState = (): DispatchState => ({
  paused: false,
  idleScans: 0,
  disabledFamilies: [],
  quotaUntil: {},
  rotation: 0,
  manualClaims: {},
  orphansSeen: {},
});
