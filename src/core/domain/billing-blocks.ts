import { sumEntries, type UsageEntry, type UsageSum } from './claude-transcripts.js';

/** Claude's usage limits reset over 5-hour windows; a window opens with the first message after the last one closed. */
export const BLOCK_MS = 5 * 3_600_000;

export interface BillingBlock extends UsageSum {
  /** ISO: the hour the block's first message fell in (windows start on the hour). */
  readonly start: string;
  readonly end: string;
  readonly lastActivity: string;
  /** Still open: now is before its end, and less than 5 hours after its last message. */
  readonly active: boolean;
}

export interface BlockProjection {
  /** USD per minute from the first to the last message of the block. */
  readonly burnRatePerMinute: number;
  readonly projectedCostUsd: number;
  readonly remainingMinutes: number;
}

const hourFloor = (ms: number): number => ms - (ms % 3_600_000);

/** Entries (sorted by time, deduplicated) cut into 5-hour blocks, the way ccusage does. */
export const billingBlocks = (entries: readonly UsageEntry[], now: Date): BillingBlock[] => {
  const groups: { start: number; entries: UsageEntry[] }[] = [];
  for (const e of entries) {
    const g = groups.at(-1);
    const last = g?.entries.at(-1);
    if (!g || !last || e.at >= g.start + BLOCK_MS || e.at - last.at >= BLOCK_MS)
      groups.push({ start: hourFloor(e.at), entries: [e] });
    else g.entries.push(e);
  }
  const t = now.getTime();
  return groups.map((g) => {
    const lastAt = g.entries.at(-1)?.at ?? g.start;
    return {
      ...sumEntries(g.entries),
      start: new Date(g.start).toISOString(),
      end: new Date(g.start + BLOCK_MS).toISOString(),
      lastActivity: new Date(lastAt).toISOString(),
      active: t < g.start + BLOCK_MS && t - lastAt < BLOCK_MS,
    };
  });
};

/** Where the active block's cost is heading at its current burn rate, by its end. */
export const projectBlock = (
  block: BillingBlock,
  entries: readonly UsageEntry[],
  now: Date,
): BlockProjection => {
  const start = Date.parse(block.start);
  const end = Date.parse(block.end);
  const inBlock = entries.filter((e) => e.at >= start && e.at < end);
  const first = inBlock[0]?.at ?? start;
  const last = inBlock.at(-1)?.at ?? first;
  const minutes = Math.max(1, (last - first) / 60_000);
  const burnRatePerMinute = block.costUsd / minutes;
  const remainingMinutes = Math.max(0, (end - now.getTime()) / 60_000);
  return {
    burnRatePerMinute,
    projectedCostUsd: block.costUsd + burnRatePerMinute * remainingMinutes,
    remainingMinutes: Math.round(remainingMinutes),
  };
};
