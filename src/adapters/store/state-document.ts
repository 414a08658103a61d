import { z } from 'zod';
import type { Attempt } from '../../core/model/attempt.js';
import { initialDispatchState, type DispatchState } from '../../core/model/dispatch-state.js';
import type { ReviewLease } from '../../core/model/lease.js';
import type { RecordKind, StoredRecord } from '../../core/model/stored-record.js';
import {
  attemptSchema,
  dispatchStateSchema,
  reviewLeaseSchema,
  storedRecordSchema,
} from './record-schemas.js';

export const STATE_FILE_VERSION = 1;

/** Everything a store keeps, as one document: the shape of the local state file. */
export interface StateDocument {
  readonly version: typeof STATE_FILE_VERSION;
  /** Keyed by record name; each key equals its record's `name`. */
  readonly attempts: Readonly<Record<string, Attempt>>;
  readonly leases: Readonly<Record<string, ReviewLease>>;
  readonly dispatch: DispatchState;
  /** Other parts' records by kind, then name (absent in files written before records existed). */
  readonly records: Readonly<Partial<Record<RecordKind, Readonly<Record<string, StoredRecord>>>>>;
}

export const emptyStateDocument = (): StateDocument => ({
  version: STATE_FILE_VERSION,
  attempts: {},
  leases: {},
  dispatch: initialDispatchState(),
  records: {},
});

const keysMatchNames = (
  section: 'attempts' | 'leases',
  records: Readonly<Record<string, { readonly name: string }>>,
  ctx: z.RefinementCtx,
): void => {
  for (const [key, record] of Object.entries(records)) {
    if (record.name !== key) {
      ctx.addIssue({ code: 'custom', path: [section, key, 'name'], message: `must equal its key "${key}"` });
    }
  }
};

export const stateDocumentSchema = z
  .strictObject({
    version: z.literal(STATE_FILE_VERSION),
    attempts: z.record(z.string(), attemptSchema),
    leases: z.record(z.string(), reviewLeaseSchema),
    dispatch: dispatchStateSchema,
    records: z
      .partialRecord(storedRecordSchema.shape.kind, z.record(z.string(), storedRecordSchema))
      .default({}),
  })
  .superRefine((doc, ctx) => {
    keysMatchNames('attempts', doc.attempts, ctx);
    keysMatchNames('leases', doc.leases, ctx);
    for (const [kind, records] of Object.entries(doc.records)) {
      for (const [key, record] of Object.entries(records ?? {})) {
        if (record.name !== key || record.kind !== kind) {
          ctx.addIssue({
            code: 'custom',
            path: ['records', kind, key],
            message: `must have kind "${kind}" and name "${key}"`,
          });
        }
      }
    }
  });

// The parsed document must be usable as a StateDocument without casts.
type Assert<T extends true> = T;
export type DocumentCoverage = Assert<
  z.output<typeof stateDocumentSchema> extends StateDocument ? true : false
>;
