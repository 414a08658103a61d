import type { Attempt } from '../model/attempt.js';
import { repoKey } from '../model/refs.js';

export interface UsageRow {
  readonly key: string;
  readonly attempts: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

export interface UsageReport {
  readonly total: UsageRow;
  readonly byDay: UsageRow[];
  readonly byWeek: UsageRow[];
  readonly byModel: UsageRow[];
  readonly byRepo: UsageRow[];
  readonly byAgent: UsageRow[];
}

/** ISO week key `2026-W47` (weeks start Monday, ISO-8601 numbering). */
export const isoWeek = (d: Date): string => {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};

const group = (attempts: readonly Attempt[], keyOf: (a: Attempt) => string): UsageRow[] => {
  const rows = new Map<
    string,
    { attempts: number; inputTokens: number; outputTokens: number; costUsd: number }
  >();
  for (const a of attempts) {
    const k = keyOf(a);
    const r = rows.get(k) ?? { attempts: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    r.attempts++;
    r.inputTokens += a.usage?.inputTokens ?? 0;
    r.outputTokens += a.usage?.outputTokens ?? 0;
    r.costUsd += a.usage?.costUsd ?? 0;
    rows.set(k, r);
  }
  return [...rows.entries()].map(([key, r]) => ({ key, ...r })).sort((x, y) => x.key.localeCompare(y.key));
};

/** Sums usage and cost per attempt by day, ISO week, model, repository and agent (slot). */
export const usageReport = (attempts: readonly Attempt[]): UsageReport => {
  const when = (a: Attempt): Date => new Date(a.finishedAt ?? a.startedAt ?? a.createdAt);
  return {
    total: group(attempts, () => 'total')[0] ?? {
      key: 'total',
      attempts: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    },
    byDay: group(attempts, (a) => when(a).toISOString().slice(0, 10)),
    byWeek: group(attempts, (a) => isoWeek(when(a))),
    byModel: group(attempts, (a) => a.usage?.model ?? 'unknown'),
    byRepo: group(attempts, (a) => repoKey(a.repo)),
    byAgent: group(attempts, (a) => a.slot),
  };
};
