import { ConflictError, isK3scError } from '../../../core/errors.js';
import { slotClaimSchema, type SlotClaim } from '../crds/slot-claim-schema.js';
import type { KubeRecord, ResourceClient } from './custom-resources.js';
import { baseLabels, labelValue, LABELS, objectName } from './object-names.js';
import { readSpec } from './record-codec.js';

/**
 * Slot and worker locks as SlotClaim objects: the create is the lock (AlreadyExists = held),
 * the holder's record decides whether a claim is still good. A claim is stale when its holder
 * is gone (after a grace period, since the holder is created right after its claim) or no
 * longer holds it (ended, or moved); a stale claim is taken over by deleting it at its
 * resourceVersion, so of two processes taking it over only one succeeds.
 */
export type HolderState = 'holds' | 'released' | 'missing';

export interface ClaimRequest {
  /** The slot, or for a review lease the worker. */
  readonly slot: string;
  readonly holder: string;
  readonly holderKind: SlotClaim['holderKind'];
  readonly createdAt: string;
  /** What the holder's stored record says about this claim. */
  readonly holderState: (claim: SlotClaim, signal?: AbortSignal) => Promise<HolderState>;
  /** The conflict to raise when someone else holds it. */
  readonly heldBy: (holder: string) => ConflictError;
}

export interface ClaimResult {
  /** True when this call created the claim (so it may roll it back). */
  readonly created: boolean;
  readonly claim?: KubeRecord;
}

export const claimObjectName = (kind: SlotClaim['holderKind'], slot: string): string =>
  objectName(kind === 'attempt' ? slot : `worker.${slot}`);

export class SlotClaims {
  constructor(
    private readonly client: ResourceClient,
    private readonly graceMs: number,
    private readonly now: () => number,
  ) {}

  async claim(req: ClaimRequest, signal?: AbortSignal): Promise<ClaimResult> {
    const name = claimObjectName(req.holderKind, req.slot);
    const spec: SlotClaim = {
      slot: req.slot,
      holder: req.holder,
      holderKind: req.holderKind,
      createdAt: req.createdAt,
    };
    const labels = { ...baseLabels(), [LABELS.slot]: labelValue(req.slot) };
    for (let tries = 0; tries < 3; tries++) {
      try {
        return { created: true, claim: await this.client.create(name, labels, spec, signal) };
      } catch (err) {
        if (!isK3scError(err, 'conflict')) throw err;
      }
      const existing = await this.client.get(name, signal);
      if (existing === undefined) continue;
      const held = this.#read(existing);
      if (held.holder === req.holder) return { created: false, claim: existing };
      if (!(await this.#stale(req, held, existing, signal))) throw req.heldBy(held.holder);
      // Take over a stale claim: only one of several racing processes deletes this version.
      await this.client.delete(name, existing.metadata.resourceVersion, signal).catch((err: unknown) => {
        if (!isK3scError(err, 'conflict')) throw err;
      });
    }
    throw req.heldBy('(another process, still racing)');
  }

  /** Releases the claim if `holder` still has it; never removes someone else's. */
  async release(
    kind: SlotClaim['holderKind'],
    slot: string,
    holder: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const name = claimObjectName(kind, slot);
    const existing = await this.client.get(name, signal);
    if (existing === undefined || this.#read(existing).holder !== holder) return;
    await this.client.delete(name, existing.metadata.resourceVersion, signal).catch((err: unknown) => {
      if (!isK3scError(err, 'conflict')) throw err;
    });
  }

  async #stale(req: ClaimRequest, held: SlotClaim, obj: KubeRecord, signal?: AbortSignal): Promise<boolean> {
    const state = await req.holderState(held, signal);
    if (state === 'holds') return false;
    if (state === 'released') return true;
    const created = Date.parse(obj.metadata.creationTimestamp?.toString() ?? held.createdAt);
    return Number.isFinite(created) && this.now() - created > this.graceMs;
  }

  #read(obj: KubeRecord): SlotClaim {
    return readSpec(
      slotClaimSchema,
      obj,
      (n) => this.client.describe(n),
      (c) => claimObjectName(c.holderKind, c.slot),
    );
  }
}
