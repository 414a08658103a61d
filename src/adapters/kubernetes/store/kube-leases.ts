import type { ReviewLease } from '../../../core/model/lease.js';
import { ConflictError, isK3scError } from '../../../core/errors.js';
import { reviewLeaseSchema } from '../../store/record-schemas.js';
import type { SlotClaim } from '../crds/slot-claim-schema.js';
import type { KubeRecord, ResourceClient } from './custom-resources.js';
import { byCreatedThenName } from './kube-attempts.js';
import { baseLabels, labelValue, LABELS, objectName, repoLabel } from './object-names.js';
import { checkedRecord, readSpec } from './record-codec.js';
import type { HolderState, SlotClaims } from './slot-claims.js';

/**
 * Review leases as ReviewLease objects. The PR's lock is the lease object (its name is per
 * PR); the worker's lock, one lease per worker across processes, is a worker SlotClaim created
 * in the same call before the lease and rolled back when the lease cannot be stored.
 */
export class KubeLeases {
  constructor(
    private readonly leases: ResourceClient,
    private readonly claims: SlotClaims,
  ) {}

  #read = (obj: KubeRecord): ReviewLease =>
    readSpec(
      reviewLeaseSchema,
      obj,
      (n) => this.leases.describe(n),
      (l) => l.name,
    );

  #holderState = async (claim: SlotClaim, signal?: AbortSignal): Promise<HolderState> => {
    const obj = await this.leases.get(objectName(claim.holder), signal);
    if (obj === undefined) return 'missing';
    return this.#read(obj).worker === claim.slot ? 'holds' : 'released';
  };

  async create(lease: ReviewLease, signal?: AbortSignal): Promise<void> {
    const record = checkedRecord(reviewLeaseSchema, lease, `lease ${lease.name}`) as ReviewLease;
    signal?.throwIfAborted();
    const { created } = await this.claims.claim(
      {
        slot: record.worker,
        holder: record.name,
        holderKind: 'lease',
        createdAt: record.createdAt,
        holderState: this.#holderState,
        heldBy: (h) => new ConflictError(`worker ${record.worker} already holds lease ${h}`),
      },
      signal,
    );
    const labels = {
      ...baseLabels(),
      [LABELS.repo]: repoLabel(record.repo),
      [LABELS.worker]: labelValue(record.worker),
    };
    try {
      await this.leases.create(objectName(record.name), labels, record, signal);
    } catch (err) {
      if (created && !isK3scError(err, 'unavailable')) {
        const claim = {
          slot: record.worker,
          holder: record.name,
          holderKind: 'lease' as const,
          createdAt: record.createdAt,
        };
        if ((await this.#holderState(claim, signal)) !== 'holds')
          await this.claims.release('lease', record.worker, record.name, signal);
      }
      if (isK3scError(err, 'conflict')) throw new ConflictError(`lease ${record.name} already exists`);
      throw err;
    }
  }

  async list(signal?: AbortSignal): Promise<ReviewLease[]> {
    return (await this.leases.list(undefined, signal)).map(this.#read).sort(byCreatedThenName);
  }

  async delete(name: string, signal?: AbortSignal): Promise<boolean> {
    const obj = await this.leases.get(objectName(name), signal);
    if (obj === undefined) return false;
    const lease = this.#read(obj);
    const removed = await this.leases.delete(objectName(name), undefined, signal);
    await this.claims.release('lease', lease.worker, lease.name, signal);
    return removed;
  }
}
