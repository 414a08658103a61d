/** Idle scan interval: min doubling per idle scan, capped at max. Any work resets idleScans to 0. */
export const idleScanDelay = (idleScans: number, minMs: number, maxMs: number): number => {
  const exp = Math.min(Math.max(idleScans, 0), 30);
  return Math.min(minMs * 2 ** exp, maxMs);
};

/** Delay before the retry that follows failure number `failures` (1-based). */
export const retryDelay = (failures: number, schedule: readonly number[]): number => {
  if (schedule.length === 0) return 0;
  const idx = Math.min(Math.max(failures - 1, 0), schedule.length - 1);
  return schedule[idx] ?? 0;
};
