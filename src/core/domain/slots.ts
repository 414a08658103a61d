import type { Attempt } from '../model/attempt.js';

export const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');

export interface SlotRequest {
  /** Live attempts: they, not Jobs, hold slots. */
  readonly live: readonly Pick<Attempt, 'slot' | 'family'>[];
  /** Families that may run now, in configured order. */
  readonly available: readonly string[];
  readonly rotation: number;
  readonly maxSlots: number;
  /** Slots that may not be used (held by review leases, or the implementer for a review). */
  readonly excludeSlots?: readonly string[];
  /** A family to try last (the implementer's, so reviews go to a different agent when possible). */
  readonly avoidFamily?: string;
}

export type SlotDecision =
  | { readonly ok: true; readonly slot: string; readonly family: string; readonly rotation: number }
  | { readonly ok: false; readonly reason: 'no-free-slot' | 'no-family-available' };

/** Picks `<family>-<letter>`: families rotate; within a family the lowest free letter wins. */
export const allocateSlot = (req: SlotRequest): SlotDecision => {
  if (req.live.length >= req.maxSlots) return { ok: false, reason: 'no-free-slot' };
  if (req.available.length === 0) return { ok: false, reason: 'no-family-available' };
  const n = req.available.length;
  const start = ((req.rotation % n) + n) % n;
  const rotated = [...req.available.slice(start), ...req.available.slice(0, start)];
  const ordered =
    req.avoidFamily === undefined
      ? rotated
      : [...rotated.filter((f) => f !== req.avoidFamily), ...rotated.filter((f) => f === req.avoidFamily)];
  const taken = new Set([...req.live.map((a) => a.slot), ...(req.excludeSlots ?? [])]);
  for (const family of ordered) {
    const letter = LETTERS.find((l) => !taken.has(`${family}-${l}`));
    if (letter !== undefined) {
      const idx = req.available.indexOf(family);
      return { ok: true, slot: `${family}-${letter}`, family, rotation: idx + 1 };
    }
  }
  return { ok: false, reason: 'no-free-slot' };
};
