import type { KubeConfig } from '@kubernetes/client-node';
import type { Attempt } from '../../../core/model/attempt.js';
import type { DispatchState } from '../../../core/model/dispatch-state.js';
import type { ReviewLease } from '../../../core/model/lease.js';
import type { RepoRef } from '../../../core/model/refs.js';
import type { RecordKind, StoredRecord } from '../../../core/model/stored-record.js';
import { K3scError } from '../../../core/errors.js';
import type { AttemptFilter, StateStore, UpdateAttemptOptions } from '../../../core/ports/state-store.js';
import { createSerialQueue, type SerialQueue } from '../../store/serial-queue.js';
import {
  AGENT_CONFIG,
  AGENT_JOB,
  DISPATCH_STATE,
  K3SC_RECORD,
  REVIEW_LEASE,
  SLOT_CLAIM,
} from '../crds/crd-definitions.js';
import { ResourceClient } from './custom-resources.js';
import { KubeAttempts } from './kube-attempts.js';
import { KubeDispatch } from './kube-dispatch.js';
import { KubeLeases } from './kube-leases.js';
import { KubeRecords } from './kube-records.js';
import { SlotClaims } from './slot-claims.js';

export interface KubeStateStoreOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** The DispatchState object's name (one per farm; default `farm`). */
  readonly farm?: string;
  /** Per request (default 15 s). */
  readonly requestTimeoutMs?: number;
  /** How long a slot or worker claim whose holder was never stored is kept (default 60 s). */
  readonly claimGraceMs?: number;
  /** Wall clock for claim ages (default Date.now). */
  readonly now?: () => number;
}

/**
 * The StateStore on Kubernetes custom resources (ADR 0006): every record is one object in the
 * farm's namespace, so every replica and CLI sees the same truth. Creates are the locks
 * (AlreadyExists), updates are read-modify-write at a resourceVersion with conflict retry;
 * within one process mutations of one object are queued, so they rarely conflict.
 */
export class KubeStateStore implements StateStore {
  readonly #attempts: KubeAttempts;
  readonly #leases: KubeLeases;
  readonly #dispatch: KubeDispatch;
  readonly #records: KubeRecords;
  readonly #queues = new Map<string, { queue: SerialQueue; users: number }>();
  #closed = false;

  constructor(opts: KubeStateStoreOptions) {
    const client = (r: typeof AGENT_JOB): ResourceClient =>
      new ResourceClient(opts.kubeConfig, r, {
        namespace: opts.namespace,
        ...(opts.requestTimeoutMs === undefined ? {} : { timeoutMs: opts.requestTimeoutMs }),
      });
    const claims = new SlotClaims(client(SLOT_CLAIM), opts.claimGraceMs ?? 60_000, opts.now ?? Date.now);
    this.#attempts = new KubeAttempts(client(AGENT_JOB), claims);
    this.#leases = new KubeLeases(client(REVIEW_LEASE), claims);
    this.#dispatch = new KubeDispatch(client(DISPATCH_STATE), opts.farm ?? 'farm');
    this.#records = new KubeRecords(client(AGENT_CONFIG), client(K3SC_RECORD));
  }

  createAttempt(attempt: Attempt, signal?: AbortSignal): Promise<void> {
    return this.#run(`attempt:${attempt.name}`, signal, () => this.#attempts.create(attempt, signal));
  }
  getAttempt(name: string, signal?: AbortSignal): Promise<Attempt | undefined> {
    return this.#run(undefined, signal, () => this.#attempts.get(name, signal));
  }
  listAttempts(filter?: AttemptFilter, signal?: AbortSignal): Promise<Attempt[]> {
    return this.#run(undefined, signal, () => this.#attempts.list(filter, signal));
  }
  updateAttempt(attempt: Attempt, signal?: AbortSignal, opts?: UpdateAttemptOptions): Promise<void> {
    return this.#run(`attempt:${attempt.name}`, signal, () => this.#attempts.update(attempt, signal, opts));
  }
  deleteAttempts(repo: RepoRef, issue: number, signal?: AbortSignal): Promise<number> {
    return this.#run(undefined, signal, () => this.#attempts.deleteAll(repo, issue, signal));
  }
  pruneAttempts(names: readonly string[], signal?: AbortSignal): Promise<number> {
    return this.#run(undefined, signal, () => this.#attempts.prune(names, signal));
  }

  createLease(lease: ReviewLease, signal?: AbortSignal): Promise<void> {
    return this.#run(undefined, signal, () => this.#leases.create(lease, signal));
  }
  listLeases(signal?: AbortSignal): Promise<ReviewLease[]> {
    return this.#run(undefined, signal, () => this.#leases.list(signal));
  }
  deleteLease(name: string, signal?: AbortSignal): Promise<boolean> {
    return this.#run(undefined, signal, () => this.#leases.delete(name, signal));
  }

  getDispatchState(signal?: AbortSignal): Promise<DispatchState> {
    return this.#run(undefined, signal, () => this.#dispatch.get(signal));
  }
  updateDispatchState(fn: (s: DispatchState) => DispatchState, signal?: AbortSignal): Promise<DispatchState> {
    return this.#run('dispatch', signal, () => this.#dispatch.update(fn, signal));
  }

  createRecord(record: StoredRecord, signal?: AbortSignal): Promise<void> {
    return this.#run(undefined, signal, () => this.#records.create(record, signal));
  }
  getRecord(kind: RecordKind, name: string, signal?: AbortSignal): Promise<StoredRecord | undefined> {
    return this.#run(undefined, signal, () => this.#records.get(kind, name, signal));
  }
  listRecords(
    kind: RecordKind,
    filter?: { readonly prefix?: string },
    signal?: AbortSignal,
  ): Promise<StoredRecord[]> {
    return this.#run(undefined, signal, () => this.#records.list(kind, filter?.prefix, signal));
  }
  updateRecord(
    kind: RecordKind,
    name: string,
    fn: (current: StoredRecord | undefined) => StoredRecord | undefined,
    signal?: AbortSignal,
  ): Promise<StoredRecord | undefined> {
    return this.#run(`record:${kind}:${name}`, signal, () => this.#records.update(kind, name, fn, signal));
  }
  deleteRecord(kind: RecordKind, name: string, signal?: AbortSignal): Promise<boolean> {
    return this.#run(`record:${kind}:${name}`, signal, () => this.#records.delete(kind, name, signal));
  }
  pruneRecords(kind: RecordKind, before: string, signal?: AbortSignal): Promise<number> {
    return this.#run(undefined, signal, () => this.#records.prune(kind, before, signal));
  }

  /** Refuses new calls; calls in flight finish. */
  close(): Promise<void> {
    this.#closed = true;
    return Promise.all([...this.#queues.values()].map((q) => q.queue.idle())).then(() => undefined);
  }

  /** Runs `task`, queued behind other mutations of the same object in this process when keyed. */
  async #run<T>(
    key: string | undefined,
    signal: AbortSignal | undefined,
    task: () => Promise<T>,
  ): Promise<T> {
    signal?.throwIfAborted();
    if (this.#closed) throw new K3scError('unavailable', 'the state store is closed');
    if (key === undefined) return task();
    const entry = this.#queues.get(key) ?? { queue: createSerialQueue(), users: 0 };
    this.#queues.set(key, entry);
    entry.users++;
    try {
      return await entry.queue.run(() => {
        signal?.throwIfAborted();
        return task();
      });
    } finally {
      if (--entry.users === 0) this.#queues.delete(key);
    }
  }
}
