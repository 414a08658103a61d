import { z } from 'zod';
import { ConflictError } from '../errors.js';
import type { JsonValue } from '../model/stored-record.js';
import type { FarmCore } from './farm-core.js';

/** One command or click as the audit log keeps it: when, correlation id, who, where, what, result. */
export interface AuditEntry {
  readonly at: string;
  /** The command's correlation id: every log line of the command carries it as `cid`. */
  readonly cid: string;
  readonly actor: string;
  readonly where: string;
  readonly command: string;
  readonly args: Record<string, unknown>;
  /** `ok`, or the error code the command ended with (`forbidden`, `bad_input`, `cancelled`, …). */
  readonly result: string;
}

/** How long audit records are kept: older ones are pruned (at most once an hour, when one is written). */
export const AUDIT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
/** Argument values are kept up to this many characters (a record holds at most 64 KiB). */
const MAX_ARG_CHARS = 2000;

const entrySchema = z.object({
  at: z.string(),
  cid: z.string(),
  actor: z.string(),
  where: z.string(),
  command: z.string(),
  args: z.record(z.string(), z.unknown()),
  result: z.string(),
});

const clip = (v: unknown): JsonValue => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.length <= MAX_ARG_CHARS ? v : `${v.slice(0, MAX_ARG_CHARS)}…`;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return clip(JSON.stringify(v));
};

/**
 * Record names sort by time, then by the order this process wrote them:
 * `<epoch ms, 15 digits>-<sequence, 6 digits>-<cid>`, in the characters a name allows.
 */
const recordName = (entry: AuditEntry, seq: number, n: number): string => {
  const ms = Date.parse(entry.at);
  const stamp = String(Number.isFinite(ms) ? ms : 0).padStart(15, '0');
  const cid =
    entry.cid
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'x';
  return `${stamp}-${String(seq % 1e6).padStart(6, '0')}-${cid}${n > 0 ? `-${n}` : ''}`;
};

export interface AuditQuery {
  /** Only entries at or after this time. */
  readonly since?: Date;
}

export interface FarmAudit {
  /** Writes one audit entry durably (the store), pruning entries past the retention now and then. */
  recordAudit(entry: AuditEntry, signal?: AbortSignal): Promise<void>;
  /** Audit entries, oldest first (the store only). */
  auditLog(query: AuditQuery, call: { readonly signal: AbortSignal }): Promise<AuditEntry[]>;
}

export const farmAudit = (core: FarmCore): FarmAudit => {
  const { store, clock } = core.deps;
  let prunedAt = -Infinity;
  let seq = 0;
  return {
    recordAudit: async (entry, signal) => {
      const data = {
        ...entry,
        args: Object.fromEntries(Object.entries(entry.args).map(([k, v]) => [k, clip(v)])),
      };
      seq += 1;
      for (let n = 0; ; n++) {
        try {
          await store.createRecord(
            {
              kind: 'audit',
              name: recordName(entry, seq, n),
              createdAt: entry.at,
              updatedAt: entry.at,
              data,
            },
            signal,
          );
          break;
        } catch (err) {
          if (!(err instanceof ConflictError) || n >= 20) throw err;
        }
      }
      const now = clock.now().getTime();
      if (now - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = now;
        await store.pruneRecords(
          'audit',
          new Date(now - AUDIT_RETENTION_DAYS * DAY_MS).toISOString(),
          signal,
        );
      }
    },
    auditLog: async (query, call) => {
      const since = query.since?.toISOString();
      const out: AuditEntry[] = [];
      for (const r of await store.listRecords('audit', {}, call.signal)) {
        if (since !== undefined && r.createdAt < since) continue;
        const parsed = entrySchema.safeParse(r.data);
        if (parsed.success) out.push(parsed.data);
      }
      return out;
    },
  };
};
