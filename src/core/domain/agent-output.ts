import { z } from 'zod';
import type { AgentResult, UsageTotals } from '../model/attempt.js';

// Token counts are whole numbers: the state store refuses anything else, and a record it
// refuses would leave the attempt live forever.
const tokens = z.number().int().nonnegative().default(0);

const usageLine = z.object({
  messageId: z.string().min(1),
  model: z.string().optional(),
  inputTokens: tokens,
  outputTokens: tokens,
  cacheReadTokens: tokens,
  cacheWriteTokens: tokens,
  costUsd: z.number().nonnegative().default(0),
});

/** Any time Date understands, normalised to ISO-8601 (what the store and the quota logic expect). */
const isoTime = z.string().transform((s, ctx) => {
  const t = Date.parse(s);
  const iso = Number.isNaN(t) ? '' : new Date(t).toISOString();
  if (/^\d{4}-/.test(iso)) return iso;
  ctx.addIssue({ code: 'custom', message: `not a time: ${s}` });
  return z.NEVER;
});

const resultLine = z.object({
  ok: z.boolean(),
  summary: z.string().optional(),
  prNumber: z.number().int().positive().optional(),
  prUrl: z.string().optional(),
  reason: z.string().optional(),
  quotaResetAt: isoTime.optional(),
});

export const EMPTY_USAGE: UsageTotals = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
  messageIds: [],
};

export interface ParsedOutput {
  readonly usage: UsageTotals;
  readonly result?: AgentResult;
  /** Lines that looked like `[usage]`/`[result]` but did not parse; reported, never fatal. */
  readonly malformed: readonly string[];
}

const tagged = (line: string, tag: string): string | undefined => {
  const t = line.trimStart();
  return t.startsWith(tag) ? t.slice(tag.length).trim() : undefined;
};

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const stripUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Adds one usage record unless its message id was already counted. */
export const addUsage = (totals: UsageTotals, u: z.infer<typeof usageLine>): UsageTotals => {
  if (totals.messageIds.includes(u.messageId)) return totals;
  const model = u.model ?? totals.model;
  return {
    inputTokens: totals.inputTokens + u.inputTokens,
    outputTokens: totals.outputTokens + u.outputTokens,
    cacheReadTokens: totals.cacheReadTokens + u.cacheReadTokens,
    cacheWriteTokens: totals.cacheWriteTokens + u.cacheWriteTokens,
    costUsd: totals.costUsd + u.costUsd,
    messageIds: [...totals.messageIds, u.messageId],
    ...(model === undefined ? {} : { model }),
  };
};

/** Reads `[usage] {json}` and `[result] {json}` lines from an agent run's output. Last result wins. */
export const parseAgentOutput = (log: string): ParsedOutput => {
  let usage = EMPTY_USAGE;
  let result: AgentResult | undefined;
  const malformed: string[] = [];
  for (const line of log.split('\n')) {
    const u = tagged(line, '[usage]');
    if (u !== undefined) {
      const parsed = usageLine.safeParse(safeJson(u));
      if (parsed.success) usage = addUsage(usage, parsed.data);
      else malformed.push(line);
      continue;
    }
    const r = tagged(line, '[result]');
    if (r !== undefined) {
      const parsed = resultLine.safeParse(safeJson(r));
      if (parsed.success) result = stripUndefined(parsed.data) as AgentResult;
      else malformed.push(line);
    }
  }
  return { usage, malformed, ...(result === undefined ? {} : { result }) };
};

/** The last `n` non-empty lines that are not `[usage]` lines: what a person wants to see. */
export const lastLines = (log: string, n: number): string[] =>
  log
    .split('\n')
    .filter((l) => l.trim() !== '' && tagged(l, '[usage]') === undefined)
    .slice(-n);
