import { z } from 'zod';
import type { AgentResult, Attempt, UsageTotals } from '../../core/model/attempt.js';
import type { DispatchState } from '../../core/model/dispatch-state.js';
import type { ReviewLease } from '../../core/model/lease.js';
import type { RepoRef } from '../../core/model/refs.js';
import {
  MAX_RECORD_BYTES,
  RECORD_KINDS,
  RECORD_NAME_PATTERN,
  type JsonValue,
  type StoredRecord,
} from '../../core/model/stored-record.js';

/**
 * Complete schemas for every field of the durable records. They check the state file on load
 * and every record before it is stored, so the store never writes a file it would refuse to read.
 */
const text = z.string().min(1);
const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);
const positiveInt = z.number().int().min(1);
const stringList = z.array(z.string()).readonly();

export const repoRefSchema = z.strictObject({ owner: text, name: text });

export const usageTotalsSchema = z.strictObject({
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count,
  cacheWriteTokens: count,
  costUsd: z.number().min(0),
  model: z.string().exactOptional(),
  messageIds: stringList,
});

export const agentResultSchema = z.strictObject({
  ok: z.boolean(),
  summary: z.string().exactOptional(),
  prNumber: positiveInt.exactOptional(),
  prUrl: z.string().exactOptional(),
  reason: z.string().exactOptional(),
  quotaResetAt: isoTime.exactOptional(),
});

export const attemptSchema = z.strictObject({
  name: text,
  repo: repoRefSchema,
  issue: positiveInt,
  seq: positiveInt,
  kind: z.enum(['implement', 'review']),
  family: text,
  slot: text,
  phase: z.enum(['pending', 'running', 'stopping', 'succeeded', 'failed', 'killed']),
  createdAt: isoTime,
  startedAt: isoTime.exactOptional(),
  finishedAt: isoTime.exactOptional(),
  requestedBy: text,
  reason: z.string().exactOptional(),
  prNumber: positiveInt.exactOptional(),
  usage: usageTotalsSchema.exactOptional(),
  result: agentResultSchema.exactOptional(),
  lastLines: stringList.exactOptional(),
  retryAfter: isoTime.exactOptional(),
  stop: z
    .strictObject({
      action: z.enum(['kill', 'reset']),
      to: z.enum(['ready', 'needs-review', 'needs-human', 'none']),
      by: text,
      at: isoTime,
    })
    .exactOptional(),
  interrupted: z.boolean().exactOptional(),
  launch: z
    .strictObject({
      config: text,
      family: text,
      model: text.exactOptional(),
      deadlineSeconds: positiveInt.exactOptional(),
      maxTurns: positiveInt.exactOptional(),
      budgetUsd: z.number().positive().exactOptional(),
    })
    .exactOptional(),
});

export const reviewLeaseSchema = z.strictObject({
  name: text,
  repo: repoRefSchema,
  pr: positiveInt,
  worker: text,
  holder: text,
  createdAt: isoTime,
  expiresAt: isoTime,
});

export const dispatchStateSchema = z.strictObject({
  paused: z.boolean(),
  idleScans: count,
  maxSlots: count.exactOptional(),
  disabledFamilies: stringList,
  quotaUntil: z.record(z.string(), isoTime),
  rotation: count,
  lastScanAt: isoTime.exactOptional(),
  nextScanAt: isoTime.exactOptional(),
  manualClaims: z.record(z.string(), z.string()),
  orphansSeen: z.record(z.string(), isoTime),
});

const jsonValue: z.ZodType<JsonValue> = z.json();

export const storedRecordSchema = z.strictObject({
  kind: z.enum(RECORD_KINDS),
  name: z.string().regex(RECORD_NAME_PATTERN, 'must be lower-case letters, digits, "-" or "." (at most 253)'),
  createdAt: isoTime,
  updatedAt: isoTime,
  data: jsonValue.refine((d) => JSON.stringify(d).length <= MAX_RECORD_BYTES, {
    message: `must be at most ${MAX_RECORD_BYTES} bytes as JSON`,
  }),
});

// Compile-time proof that each schema covers exactly the model's fields and parses into it.
type Covers<Model, Schema extends z.ZodType> = [z.output<Schema>] extends [Model]
  ? [Exclude<keyof Model, keyof z.output<Schema>> | Exclude<keyof z.output<Schema>, keyof Model>] extends [
      never,
    ]
    ? true
    : false
  : false;
type Assert<T extends true> = T;
export type SchemaCoverage = [
  Assert<Covers<RepoRef, typeof repoRefSchema>>,
  Assert<Covers<UsageTotals, typeof usageTotalsSchema>>,
  Assert<Covers<AgentResult, typeof agentResultSchema>>,
  Assert<Covers<Attempt, typeof attemptSchema>>,
  Assert<Covers<ReviewLease, typeof reviewLeaseSchema>>,
  Assert<Covers<DispatchState, typeof dispatchStateSchema>>,
  Assert<Covers<StoredRecord, typeof storedRecordSchema>>,
];
