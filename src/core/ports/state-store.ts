import type { Attempt, AttemptPhase } from '../model/attempt.js';
import type { DispatchState } from '../model/dispatch-state.js';
import type { ReviewLease } from '../model/lease.js';
import type { RepoRef } from '../model/refs.js';
import type { RecordKind, StoredRecord } from '../model/stored-record.js';

/** A compare-and-swap on an attempt record, across every process sharing the store. */
export interface UpdateAttemptOptions {
  /** Write only if the stored record is still in this phase; ConflictError otherwise. */
  readonly ifPhase?: AttemptPhase;
}

export interface AttemptFilter {
  readonly repo?: RepoRef;
  readonly issue?: number;
  readonly liveOnly?: boolean;
}

/**
 * Durable records shared by every process. `create*` is the lock: it throws ConflictError
 * when a record with that name exists. Lists come back sorted by createdAt, then name.
 */
export interface StateStore {
  /**
   * The lock for an issue's attempt and for its slot: ConflictError when an attempt of that name
   * exists, or when the attempt is live and another live attempt holds its slot (a slot is held
   * from the create until its attempt ends or is deleted, across every process).
   */
  createAttempt(attempt: Attempt, signal?: AbortSignal): Promise<void>;
  getAttempt(name: string, signal?: AbortSignal): Promise<Attempt | undefined>;
  listAttempts(filter?: AttemptFilter, signal?: AbortSignal): Promise<Attempt[]>;
  /**
   * Replaces an existing record (NotFoundError if absent). With `ifPhase`, only while the stored
   * record is in that phase (ConflictError otherwise): of two processes finishing or launching
   * one attempt, exactly one writes it.
   */
  updateAttempt(attempt: Attempt, signal?: AbortSignal, opts?: UpdateAttemptOptions): Promise<void>;
  /** Removes every attempt of one issue (used by `reset`); returns how many were removed. */
  deleteAttempts(repo: RepoRef, issue: number, signal?: AbortSignal): Promise<number>;
  /**
   * TTL cleanup: removes the named attempts that have ended. A live attempt, or a name with no
   * record, is left alone (checked by the store at the moment of removal). Returns how many went.
   */
  pruneAttempts(names: readonly string[], signal?: AbortSignal): Promise<number>;

  /** The lock for a PR and for a worker: ConflictError when the PR's lease exists or the worker holds one. */
  createLease(lease: ReviewLease, signal?: AbortSignal): Promise<void>;
  listLeases(signal?: AbortSignal): Promise<ReviewLease[]>;
  /** Returns false when no lease had that name. */
  deleteLease(name: string, signal?: AbortSignal): Promise<boolean>;

  getDispatchState(signal?: AbortSignal): Promise<DispatchState>;
  /** Read-modify-write, serialized by the store; returns the new state. */
  updateDispatchState(fn: (s: DispatchState) => DispatchState, signal?: AbortSignal): Promise<DispatchState>;

  /** Creates a record; ConflictError when one of that kind and name exists (create is the lock). */
  createRecord(record: StoredRecord, signal?: AbortSignal): Promise<void>;
  getRecord(kind: RecordKind, name: string, signal?: AbortSignal): Promise<StoredRecord | undefined>;
  /** Records of one kind, optionally only names starting with `prefix`, sorted by createdAt, then name. */
  listRecords(
    kind: RecordKind,
    filter?: { readonly prefix?: string },
    signal?: AbortSignal,
  ): Promise<StoredRecord[]>;
  /**
   * Read-modify-write of one record, serialized by the store: `fn` gets the current record (or
   * undefined) and returns the new one, or undefined to delete it. Returns what was stored.
   */
  updateRecord(
    kind: RecordKind,
    name: string,
    fn: (current: StoredRecord | undefined) => StoredRecord | undefined,
    signal?: AbortSignal,
  ): Promise<StoredRecord | undefined>;
  /** Returns false when no record had that kind and name. */
  deleteRecord(kind: RecordKind, name: string, signal?: AbortSignal): Promise<boolean>;
  /** Removes records of a kind whose updatedAt is before `before` (ISO); returns how many. */
  pruneRecords(kind: RecordKind, before: string, signal?: AbortSignal): Promise<number>;
}
