import { isLive, type Attempt } from '../../../core/model/attempt.js';
import { sameRepo, type RepoRef } from '../../../core/model/refs.js';
import { ConflictError, isK3scError, NotFoundError } from '../../../core/errors.js';
import type { AttemptFilter, UpdateAttemptOptions } from '../../../core/ports/state-store.js';
import { attemptSchema } from '../../store/record-schemas.js';
import { phaseMovedError, slotHeldMessage } from '../../store/state-document-ops.js';
import { AGENT_JOB } from '../crds/crd-definitions.js';
import { recordObject, type KubeRecord, type ResourceClient } from './custom-resources.js';
import { baseLabels, labelValue, LABELS, objectName, repoLabel } from './object-names.js';
import { checkedRecord, readSpec } from './record-codec.js';
import { conflictPause } from './conflict-pause.js';
import type { HolderState, SlotClaims } from './slot-claims.js';
import type { SlotClaim } from '../crds/slot-claim-schema.js';

/** Attempts as AgentJob objects, each live one holding its slot through a SlotClaim. */
export const byCreatedThenName = (
  a: { createdAt: string; name: string },
  b: { createdAt: string; name: string },
): number =>
  Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const attemptLabels = (a: Attempt): Record<string, string> => ({
  ...baseLabels(),
  [LABELS.repo]: repoLabel(a.repo),
  [LABELS.issue]: String(a.issue),
  [LABELS.attempt]: labelValue(a.name),
  [LABELS.family]: labelValue(a.family),
  [LABELS.slot]: labelValue(a.slot),
  [LABELS.phase]: a.phase,
  [LABELS.live]: String(isLive(a)),
});

/** The AgentJob object `create` writes for `attempt` (checked as the store checks it), with its namespace. */
export const agentJobObject = (namespace: string, attempt: Attempt): KubeRecord => {
  const record = checkedRecord(attemptSchema, attempt, `attempt ${attempt.name}`) as Attempt;
  return recordObject(
    AGENT_JOB,
    { name: objectName(record.name), namespace, labels: attemptLabels(record) },
    record,
  );
};

const MAX_TRIES = 20;

export class KubeAttempts {
  constructor(
    private readonly jobs: ResourceClient,
    private readonly claims: SlotClaims,
  ) {}

  #read = (obj: KubeRecord): Attempt =>
    readSpec(
      attemptSchema,
      obj,
      (n) => this.jobs.describe(n),
      (a) => a.name,
    );

  #holderState = async (claim: SlotClaim, signal?: AbortSignal): Promise<HolderState> => {
    const obj = await this.jobs.get(objectName(claim.holder), signal);
    if (obj === undefined) return 'missing';
    const a = this.#read(obj);
    return isLive(a) && a.slot === claim.slot ? 'holds' : 'released';
  };

  async #claimSlot(a: Attempt, signal?: AbortSignal): Promise<boolean> {
    const r = await this.claims.claim(
      {
        slot: a.slot,
        holder: a.name,
        holderKind: 'attempt',
        createdAt: a.createdAt,
        holderState: this.#holderState,
        heldBy: (h) => new ConflictError(slotHeldMessage(a.slot, h)),
      },
      signal,
    );
    return r.created;
  }

  async create(attempt: Attempt, signal?: AbortSignal): Promise<void> {
    const record = checkedRecord(attemptSchema, attempt, `attempt ${attempt.name}`) as Attempt;
    signal?.throwIfAborted();
    const claimed = isLive(record) ? await this.#claimSlot(record, signal) : false;
    const name = objectName(record.name);
    try {
      await this.jobs.create(name, attemptLabels(record), record, signal);
    } catch (err) {
      if (claimed && !isK3scError(err, 'unavailable')) {
        // Roll back our claim unless the attempt already stored under this name holds it.
        if (
          (await this.#holderState(
            { slot: record.slot, holder: record.name, holderKind: 'attempt', createdAt: record.createdAt },
            signal,
          )) !== 'holds'
        )
          await this.claims.release('attempt', record.slot, record.name, signal);
      }
      if (isK3scError(err, 'conflict')) throw new ConflictError(`attempt ${record.name} already exists`);
      throw err;
    }
  }

  async get(name: string, signal?: AbortSignal): Promise<Attempt | undefined> {
    const obj = await this.jobs.get(objectName(name), signal);
    return obj === undefined ? undefined : this.#read(obj);
  }

  async list(filter: AttemptFilter = {}, signal?: AbortSignal): Promise<Attempt[]> {
    const selector = [
      ...(filter.repo === undefined ? [] : [`${LABELS.repo}=${repoLabel(filter.repo)}`]),
      ...(filter.issue === undefined ? [] : [`${LABELS.issue}=${filter.issue}`]),
      ...(filter.liveOnly === true ? [`${LABELS.live}=true`] : []),
    ].join(',');
    const items = await this.jobs.list(selector === '' ? undefined : selector, signal);
    return items
      .map(this.#read)
      .filter((a) => filter.repo === undefined || sameRepo(a.repo, filter.repo))
      .filter((a) => filter.issue === undefined || a.issue === filter.issue)
      .filter((a) => filter.liveOnly !== true || isLive(a))
      .sort(byCreatedThenName);
  }

  async update(attempt: Attempt, signal?: AbortSignal, opts: UpdateAttemptOptions = {}): Promise<void> {
    const record = checkedRecord(attemptSchema, attempt, `attempt ${attempt.name}`) as Attempt;
    const name = objectName(record.name);
    for (let tries = 0; ; tries++) {
      const obj = await this.jobs.get(name, signal);
      if (obj === undefined) throw new NotFoundError(`attempt ${record.name} not found`);
      const old = this.#read(obj);
      // Checked on every try: a conflict means another process wrote it, maybe to another phase.
      if (opts.ifPhase !== undefined && old.phase !== opts.ifPhase)
        throw phaseMovedError(record.name, old.phase, opts.ifPhase);
      if (isLive(record) && (!isLive(old) || old.slot !== record.slot)) await this.#claimSlot(record, signal);
      try {
        await this.jobs.replace(
          name,
          obj.metadata.resourceVersion ?? '',
          attemptLabels(record),
          record,
          signal,
        );
      } catch (err) {
        if (isK3scError(err, 'conflict') && tries < MAX_TRIES) {
          await conflictPause(tries, signal);
          continue;
        }
        throw err;
      }
      if (isLive(old) && (!isLive(record) || old.slot !== record.slot))
        await this.claims.release('attempt', old.slot, old.name, signal);
      return;
    }
  }

  async deleteAll(repo: RepoRef, issue: number, signal?: AbortSignal): Promise<number> {
    const selector = `${LABELS.repo}=${repoLabel(repo)},${LABELS.issue}=${issue}`;
    let removed = 0;
    for (const obj of await this.jobs.list(selector, signal)) {
      const a = this.#read(obj);
      if (!sameRepo(a.repo, repo) || a.issue !== issue) continue;
      if (await this.jobs.delete(objectName(a.name), undefined, signal)) removed++;
      if (isLive(a)) await this.claims.release('attempt', a.slot, a.name, signal);
    }
    return removed;
  }

  /** Deletes each named attempt that has ended, at the version read (a record updated meanwhile stays). */
  async prune(names: readonly string[], signal?: AbortSignal): Promise<number> {
    let removed = 0;
    for (const name of names) {
      const obj = await this.jobs.get(objectName(name), signal);
      if (obj === undefined || isLive(this.#read(obj))) continue;
      try {
        if (await this.jobs.delete(objectName(name), obj.metadata.resourceVersion, signal)) removed++;
      } catch (err) {
        if (!isK3scError(err, 'conflict')) throw err;
      }
    }
    return removed;
  }
}
