import { z } from 'zod';
import type { AgentResult } from '../core/model/attempt.js';
import type { UsageRecord } from './usage-tracker.js';

export const USAGE_PREFIX = '[usage] ';
export const RESULT_PREFIX = '[result] ';

const usageSchema = z.object({
  messageId: z.string(),
  model: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  costUsd: z.number(),
});

const resultSchema = z.object({
  ok: z.boolean(),
  summary: z.string().optional(),
  prNumber: z.number().int().optional(),
  prUrl: z.string().optional(),
  reason: z.string().optional(),
  quotaResetAt: z.string().optional(),
});

export const formatUsageLine = (u: UsageRecord): string =>
  USAGE_PREFIX +
  JSON.stringify({
    messageId: u.messageId,
    model: u.model,
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cacheReadTokens: u.cacheReadTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    costUsd: u.costUsd,
  });

export const formatResultLine = (r: AgentResult): string => RESULT_PREFIX + JSON.stringify(r);

const parsePrefixed = <T>(line: string, prefix: string, schema: z.ZodType<T>): T | undefined => {
  if (!line.startsWith(prefix)) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(line.slice(prefix.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

/** A `[usage] {json}` line as the runner prints it; undefined for any other line. */
export const parseUsageLine = (line: string): UsageRecord | undefined =>
  parsePrefixed(line, USAGE_PREFIX, usageSchema);

/** The runner's `[result] {json}` line; undefined for any other line. */
export const parseResultLine = (line: string): AgentResult | undefined => {
  const r = parsePrefixed(line, RESULT_PREFIX, resultSchema);
  if (r === undefined) return undefined;
  // Rebuild without undefined-valued keys (exactOptionalPropertyTypes).
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as AgentResult;
};

/** The last `[result]` line in a log, if any. */
export const findResult = (lines: readonly string[]): AgentResult | undefined => {
  for (let i = lines.length - 1; i >= 0; i--) {
    const r = parseResultLine(lines[i] ?? '');
    if (r !== undefined) return r;
  }
  return undefined;
};
