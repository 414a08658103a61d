import { tokenCost, type TokenCounts } from './claude-pricing.js';

/**
 * One assistant message's usage from a Claude Code transcript line
 * (`~/.claude/projects/<project>/<session>.jsonl`). A message is written once per content
 * block, so the same message id appears several times; `key` deduplicates them.
 */
export interface UsageEntry extends TokenCounts {
  /** `<message id>:<request id>`, the way ccusage deduplicates. */
  readonly key: string;
  readonly sessionId: string;
  readonly model: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** The transcript's own `costUSD` when it has one. */
  readonly costUsd?: number;
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The usage on one transcript line, or undefined for any other line (or a broken one). */
export const parseTranscriptLine = (line: string, fallbackSession: string): UsageEntry | undefined => {
  if (!line.includes('"usage"')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return undefined;
  }
  const d = obj(doc);
  const message = obj(d?.['message']);
  const usage = obj(message?.['usage']);
  const id = str(message?.['id']);
  const at = Date.parse(str(d?.['timestamp']) ?? '');
  if (!d || !usage || id === undefined || Number.isNaN(at)) return undefined;
  const cost = d['costUSD'];
  return {
    key: `${id}:${str(d['requestId']) ?? ''}`,
    sessionId: str(d['sessionId']) ?? fallbackSession,
    model: str(message?.['model']) ?? 'unknown',
    at,
    inputTokens: num(usage['input_tokens']),
    outputTokens: num(usage['output_tokens']),
    cacheWriteTokens: num(usage['cache_creation_input_tokens']),
    cacheReadTokens: num(usage['cache_read_input_tokens']),
    ...(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? { costUsd: cost } : {}),
  };
};

/** One entry per message: repeats of a key keep the largest counts (the final block's usage). */
export const dedupeEntries = (entries: readonly UsageEntry[]): UsageEntry[] => {
  const byKey = new Map<string, UsageEntry>();
  for (const e of entries) {
    const seen = byKey.get(e.key);
    byKey.set(
      e.key,
      seen
        ? {
            ...seen,
            inputTokens: Math.max(seen.inputTokens, e.inputTokens),
            outputTokens: Math.max(seen.outputTokens, e.outputTokens),
            cacheWriteTokens: Math.max(seen.cacheWriteTokens, e.cacheWriteTokens),
            cacheReadTokens: Math.max(seen.cacheReadTokens, e.cacheReadTokens),
            ...(e.costUsd !== undefined ? { costUsd: Math.max(seen.costUsd ?? 0, e.costUsd) } : {}),
          }
        : e,
    );
  }
  return [...byKey.values()].sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
};

export interface UsageSum extends TokenCounts {
  readonly messages: number;
  readonly costUsd: number;
  /** Models seen without a known price (their tokens are counted, their cost is not). */
  readonly unpriced: readonly string[];
}

export const sumEntries = (entries: readonly UsageEntry[]): UsageSum => {
  let inputTokens = 0;
  let outputTokens = 0;
  let cacheWriteTokens = 0;
  let cacheReadTokens = 0;
  let costUsd = 0;
  const unpriced = new Set<string>();
  for (const e of entries) {
    inputTokens += e.inputTokens;
    outputTokens += e.outputTokens;
    cacheWriteTokens += e.cacheWriteTokens;
    cacheReadTokens += e.cacheReadTokens;
    const cost = e.costUsd ?? tokenCost(e.model, e);
    if (cost === undefined) unpriced.add(e.model);
    else costUsd += cost;
  }
  return {
    messages: entries.length,
    inputTokens,
    outputTokens,
    cacheWriteTokens,
    cacheReadTokens,
    costUsd,
    unpriced: [...unpriced].sort(),
  };
};
