import type { Attempt } from '../../core/model/attempt.js';
import type { DispatchState } from '../../core/model/dispatch-state.js';
import type { ReviewLease } from '../../core/model/lease.js';
import type { RepoRef } from '../../core/model/refs.js';
import type { RecordKind, StoredRecord } from '../../core/model/stored-record.js';
import { K3scError } from '../../core/errors.js';
import type { AttemptFilter, StateStore, UpdateAttemptOptions } from '../../core/ports/state-store.js';
import { createSerialQueue } from './serial-queue.js';
import type { StateDocument } from './state-document.js';
import * as ops from './state-document-ops.js';

/** Where a document store keeps its document. `save` must make `next` durable before it resolves. */
export type SaveDocument = (next: StateDocument) => Promise<void>;

/**
 * A StateStore over one in-process document. Every mutation runs through one queue, is saved
 * before its promise resolves, and only then becomes visible to readers; a failed save leaves
 * the previous document in place.
 */
export class DocumentStateStore implements StateStore {
  #doc: StateDocument;
  #closed = false;
  readonly #queue = createSerialQueue();
  readonly #save: SaveDocument;

  constructor(initial: StateDocument, save: SaveDocument) {
    this.#doc = initial;
    this.#save = save;
  }

  async createAttempt(attempt: Attempt, signal?: AbortSignal): Promise<void> {
    await this.#mutate(signal, (doc) => ({ doc: ops.withAttemptCreated(doc, attempt), result: undefined }));
  }

  getAttempt(name: string, signal?: AbortSignal): Promise<Attempt | undefined> {
    return this.#read(signal, (doc) =>
      Object.hasOwn(doc.attempts, name) ? structuredClone(doc.attempts[name]) : undefined,
    );
  }

  listAttempts(filter?: AttemptFilter, signal?: AbortSignal): Promise<Attempt[]> {
    return this.#read(signal, (doc) => ops.selectAttempts(doc, filter));
  }

  async updateAttempt(attempt: Attempt, signal?: AbortSignal, opts?: UpdateAttemptOptions): Promise<void> {
    await this.#mutate(signal, (doc) => ({
      doc: ops.withAttemptUpdated(doc, attempt, opts),
      result: undefined,
    }));
  }

  deleteAttempts(repo: RepoRef, issue: number, signal?: AbortSignal): Promise<number> {
    return this.#mutate(signal, (doc) => {
      const { doc: next, removed } = ops.withAttemptsDeleted(doc, repo, issue);
      return { doc: next, result: removed };
    });
  }

  pruneAttempts(names: readonly string[], signal?: AbortSignal): Promise<number> {
    return this.#mutate(signal, (doc) => {
      const { doc: next, removed } = ops.withAttemptsPruned(doc, names);
      return { doc: next, result: removed };
    });
  }

  async createLease(lease: ReviewLease, signal?: AbortSignal): Promise<void> {
    await this.#mutate(signal, (doc) => ({ doc: ops.withLeaseCreated(doc, lease), result: undefined }));
  }

  listLeases(signal?: AbortSignal): Promise<ReviewLease[]> {
    return this.#read(signal, ops.selectLeases);
  }

  deleteLease(name: string, signal?: AbortSignal): Promise<boolean> {
    return this.#mutate(signal, (doc) => {
      const { doc: next, removed } = ops.withLeaseDeleted(doc, name);
      return { doc: next, result: removed };
    });
  }

  getDispatchState(signal?: AbortSignal): Promise<DispatchState> {
    return this.#read(signal, (doc) => structuredClone(doc.dispatch));
  }

  updateDispatchState(fn: (s: DispatchState) => DispatchState, signal?: AbortSignal): Promise<DispatchState> {
    return this.#mutate(signal, (doc) => {
      const next = ops.withDispatchUpdated(doc, fn);
      return { doc: next, result: structuredClone(next.dispatch) };
    });
  }

  async createRecord(record: StoredRecord, signal?: AbortSignal): Promise<void> {
    await this.#mutate(signal, (doc) => ({ doc: ops.withRecordCreated(doc, record), result: undefined }));
  }

  getRecord(kind: RecordKind, name: string, signal?: AbortSignal): Promise<StoredRecord | undefined> {
    return this.#read(signal, (doc) => ops.selectRecord(doc, kind, name));
  }

  listRecords(
    kind: RecordKind,
    filter?: { readonly prefix?: string },
    signal?: AbortSignal,
  ): Promise<StoredRecord[]> {
    return this.#read(signal, (doc) => ops.selectRecords(doc, kind, filter?.prefix));
  }

  updateRecord(
    kind: RecordKind,
    name: string,
    fn: (current: StoredRecord | undefined) => StoredRecord | undefined,
    signal?: AbortSignal,
  ): Promise<StoredRecord | undefined> {
    return this.#mutate(signal, (doc) => {
      const { doc: next, stored } = ops.withRecordUpdated(doc, kind, name, fn);
      return { doc: next, result: stored };
    });
  }

  async deleteRecord(kind: RecordKind, name: string, signal?: AbortSignal): Promise<boolean> {
    let existed = false;
    await this.updateRecord(
      kind,
      name,
      (current) => {
        existed = current !== undefined;
        return undefined;
      },
      signal,
    );
    return existed;
  }

  pruneRecords(kind: RecordKind, before: string, signal?: AbortSignal): Promise<number> {
    return this.#mutate(signal, (doc) => {
      const { doc: next, removed } = ops.withRecordsPruned(doc, kind, before);
      return { doc: next, result: removed };
    });
  }

  /** Refuses new work, then waits for queued mutations to finish. */
  protected async shutdown(): Promise<void> {
    this.#closed = true;
    await this.#queue.idle();
  }

  #checkCanStart(signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (this.#closed) throw new K3scError('unavailable', 'the state store is closed');
  }

  /** Reads see only saved documents, never one whose write is still in flight. */
  async #read<T>(signal: AbortSignal | undefined, select: (doc: StateDocument) => T): Promise<T> {
    this.#checkCanStart(signal);
    return Promise.resolve(select(this.#doc));
  }

  async #mutate<T>(
    signal: AbortSignal | undefined,
    change: (doc: StateDocument) => { doc: StateDocument; result: T },
  ): Promise<T> {
    this.#checkCanStart(signal);
    return this.#queue.run(async () => {
      // Re-checked here: the caller may have given up while the task waited its turn.
      signal?.throwIfAborted();
      const { doc, result } = change(this.#doc);
      if (doc !== this.#doc) {
        await this.#save(doc);
        this.#doc = doc;
      }
      return result;
    });
  }
}
