import { z } from 'zod';

/** A slot or worker lock: one object per slot (or per review worker), named after it. */
export const slotClaimSchema = z.strictObject({
  /** The slot (`claude-a`) or, for a review lease, the worker. */
  slot: z.string().min(1),
  /** What holds it: an attempt's name or a review lease's name. */
  holder: z.string().min(1),
  holderKind: z.enum(['attempt', 'lease']),
  createdAt: z.iso.datetime({ offset: true }),
});

export type SlotClaim = z.output<typeof slotClaimSchema>;
