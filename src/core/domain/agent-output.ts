import type { AgentResult, UsageTotals } from '../model/attempt.js';
import { readReportLine, USAGE_TAG, type UsageLine } from '../protocol/report-lines.js';

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

/** Adds one usage record unless its message id was already counted. */
export const addUsage = (totals: UsageTotals, u: UsageLine): UsageTotals => {
  if (totals.messageIds.includes(u.messageId)) return totals;
  const model = u.model || totals.model;
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

/**
 * Reads the runner's `[usage] {json}` and `[result] {json}` lines from a run's output (see
 * `protocol/report-lines.ts`: only lines with the tag at column 0 count). Last result wins.
 */
export const parseAgentOutput = (log: string): ParsedOutput => {
  let usage = EMPTY_USAGE;
  let result: AgentResult | undefined;
  const malformed: string[] = [];
  for (const line of log.split('\n')) {
    const r = readReportLine(line);
    if (r?.kind === 'usage') usage = addUsage(usage, r.usage);
    else if (r?.kind === 'result') result = r.result;
    else if (r?.kind === 'malformed') malformed.push(line);
  }
  return { usage, malformed, ...(result === undefined ? {} : { result }) };
};

/** The last `n` non-empty lines that are not `[usage]` lines: what a person wants to see. */
export const lastLines = (log: string, n: number): string[] =>
  log
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith(USAGE_TAG))
    .slice(-n);
