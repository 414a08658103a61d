import type { z } from 'zod';
import { isLive, type Attempt } from '../../core/model/attempt.js';
import type { DispatchState } from '../../core/model/dispatch-state.js';
import type { ReviewLease } from '../../core/model/lease.js';
import { sameRepo, type RepoRef } from '../../core/model/refs.js';
import { ConflictError, K3scError, NotFoundError } from '../../core/errors.js';
import type { AttemptFilter, UpdateAttemptOptions } from '../../core/ports/state-store.js';
import { describeZodIssues } from './describe-zod-issues.js';
import type { RecordKind, StoredRecord } from '../../core/model/stored-record.js';
import {
  attemptSchema,
  dispatchStateSchema,
  reviewLeaseSchema,
  storedRecordSchema,
} from './record-schemas.js';
import type { StateDocument } from './state-document.js';

/**
 * The store semantics as pure functions over a StateDocument: every change returns a new
 * document (the old one is never mutated) and every record going in is checked and copied.
 */
const checked = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = describeZodIssues(parsed.error.issues, 3).join('; ');
  throw new K3scError('bad_input', `${what} cannot be stored: ${problems}`, { cause: parsed.error });
};

const byCreatedThenName = (
  a: { createdAt: string; name: string },
  b: { createdAt: string; name: string },
): number =>
  Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export const withAttemptCreated = (doc: StateDocument, attempt: Attempt): StateDocument => {
  if (Object.hasOwn(doc.attempts, attempt.name))
    throw new ConflictError(`attempt ${attempt.name} already exists`);
  const record = checked(attemptSchema, attempt, `attempt ${attempt.name}`);
  const holder = isLive(record) ? slotHolder(doc, record.slot) : undefined;
  if (holder !== undefined) throw new ConflictError(slotHeldMessage(record.slot, holder.name));
  return { ...doc, attempts: { ...doc.attempts, [record.name]: record } };
};

/** The live attempt holding a slot: a live attempt is the slot's lock (one attempt per slot). */
const slotHolder = (doc: StateDocument, slot: string): Attempt | undefined =>
  Object.values(doc.attempts).find((a) => a.slot === slot && isLive(a));

export const slotHeldMessage = (slot: string, holder: string): string =>
  `slot ${slot} is held by attempt ${holder}`;

/** The ConflictError of an `ifPhase` update whose record moved on (one wording for every store). */
export const phaseMovedError = (name: string, phase: string, expected: string): ConflictError =>
  new ConflictError(`attempt ${name} is ${phase}, not ${expected}`);

export const withAttemptUpdated = (
  doc: StateDocument,
  attempt: Attempt,
  opts: UpdateAttemptOptions = {},
): StateDocument => {
  if (!Object.hasOwn(doc.attempts, attempt.name))
    throw new NotFoundError(`attempt ${attempt.name} not found`);
  const stored = doc.attempts[attempt.name]!;
  if (opts.ifPhase !== undefined && stored.phase !== opts.ifPhase)
    throw phaseMovedError(attempt.name, stored.phase, opts.ifPhase);
  const record = checked(attemptSchema, attempt, `attempt ${attempt.name}`);
  return { ...doc, attempts: { ...doc.attempts, [record.name]: record } };
};

export const withAttemptsDeleted = (
  doc: StateDocument,
  repo: RepoRef,
  issue: number,
): { doc: StateDocument; removed: number } => {
  const kept = Object.entries(doc.attempts).filter(([, a]) => !(a.issue === issue && sameRepo(a.repo, repo)));
  const removed = Object.keys(doc.attempts).length - kept.length;
  return { doc: removed === 0 ? doc : { ...doc, attempts: Object.fromEntries(kept) }, removed };
};

/** The named attempts that have ended, removed; live ones and unknown names are kept. */
export const withAttemptsPruned = (
  doc: StateDocument,
  names: readonly string[],
): { doc: StateDocument; removed: number } => {
  const gone = new Set(names.filter((n) => Object.hasOwn(doc.attempts, n) && !isLive(doc.attempts[n]!)));
  if (gone.size === 0) return { doc, removed: 0 };
  const kept = Object.entries(doc.attempts).filter(([n]) => !gone.has(n));
  return { doc: { ...doc, attempts: Object.fromEntries(kept) }, removed: gone.size };
};

export const selectAttempts = (doc: StateDocument, filter: AttemptFilter = {}): Attempt[] =>
  Object.values(doc.attempts)
    .filter((a) => filter.repo === undefined || sameRepo(a.repo, filter.repo))
    .filter((a) => filter.issue === undefined || a.issue === filter.issue)
    .filter((a) => filter.liveOnly !== true || isLive(a))
    .sort(byCreatedThenName)
    .map((a) => structuredClone(a));

export const withLeaseCreated = (doc: StateDocument, lease: ReviewLease): StateDocument => {
  if (Object.hasOwn(doc.leases, lease.name)) throw new ConflictError(`lease ${lease.name} already exists`);
  const held = Object.values(doc.leases).find((l) => l.worker === lease.worker);
  if (held) throw new ConflictError(`worker ${lease.worker} already holds lease ${held.name}`);
  const record = checked(reviewLeaseSchema, lease, `lease ${lease.name}`);
  return { ...doc, leases: { ...doc.leases, [record.name]: record } };
};

export const withLeaseDeleted = (
  doc: StateDocument,
  name: string,
): { doc: StateDocument; removed: boolean } => {
  if (!Object.hasOwn(doc.leases, name)) return { doc, removed: false };
  const { [name]: _gone, ...leases } = doc.leases;
  return { doc: { ...doc, leases }, removed: true };
};

export const selectLeases = (doc: StateDocument): ReviewLease[] =>
  Object.values(doc.leases)
    .sort(byCreatedThenName)
    .map((l) => structuredClone(l));

export const withDispatchUpdated = (
  doc: StateDocument,
  fn: (s: DispatchState) => DispatchState,
): StateDocument => {
  const next = checked(dispatchStateSchema, fn(structuredClone(doc.dispatch)), 'dispatch state');
  return { ...doc, dispatch: next };
};

const recordsOf = (doc: StateDocument, kind: RecordKind): Readonly<Record<string, StoredRecord>> =>
  doc.records[kind] ?? {};

const withRecords = (
  doc: StateDocument,
  kind: RecordKind,
  records: Readonly<Record<string, StoredRecord>>,
): StateDocument => ({ ...doc, records: { ...doc.records, [kind]: records } });

export const selectRecord = (
  doc: StateDocument,
  kind: RecordKind,
  name: string,
): StoredRecord | undefined => {
  const records = recordsOf(doc, kind);
  return Object.hasOwn(records, name) ? structuredClone(records[name]) : undefined;
};

export const withRecordCreated = (doc: StateDocument, record: StoredRecord): StateDocument => {
  const checkedRecord = checked(storedRecordSchema, record, `${record.kind} record ${record.name}`);
  const records = recordsOf(doc, checkedRecord.kind);
  if (Object.hasOwn(records, checkedRecord.name))
    throw new ConflictError(`${checkedRecord.kind} record ${checkedRecord.name} already exists`);
  return withRecords(doc, checkedRecord.kind, { ...records, [checkedRecord.name]: checkedRecord });
};

export const withRecordUpdated = (
  doc: StateDocument,
  kind: RecordKind,
  name: string,
  fn: (current: StoredRecord | undefined) => StoredRecord | undefined,
): { doc: StateDocument; stored: StoredRecord | undefined } => {
  const records = recordsOf(doc, kind);
  const next = fn(selectRecord(doc, kind, name));
  if (next === undefined) {
    if (!Object.hasOwn(records, name)) return { doc, stored: undefined };
    const { [name]: _gone, ...rest } = records;
    return { doc: withRecords(doc, kind, rest), stored: undefined };
  }
  const checkedRecord = checked(storedRecordSchema, next, `${kind} record ${name}`);
  if (checkedRecord.kind !== kind || checkedRecord.name !== name)
    throw new K3scError('bad_input', `${kind} record ${name} cannot change its kind or name`);
  return {
    doc: withRecords(doc, kind, { ...records, [name]: checkedRecord }),
    stored: structuredClone(checkedRecord),
  };
};

export const selectRecords = (doc: StateDocument, kind: RecordKind, prefix = ''): StoredRecord[] =>
  Object.values(recordsOf(doc, kind))
    .filter((r) => r.name.startsWith(prefix))
    .sort(byCreatedThenName)
    .map((r) => structuredClone(r));

export const withRecordsPruned = (
  doc: StateDocument,
  kind: RecordKind,
  before: string,
): { doc: StateDocument; removed: number } => {
  const cutoff = Date.parse(before);
  const records = recordsOf(doc, kind);
  const kept = Object.entries(records).filter(([, r]) => !(Date.parse(r.updatedAt) < cutoff));
  const removed = Object.keys(records).length - kept.length;
  return { doc: removed === 0 ? doc : withRecords(doc, kind, Object.fromEntries(kept)), removed };
};
