import type { AgentResult } from '../core/model/attempt.js';

/** Builds the `[result] {json}` line an agent runner prints. */
export const resultLine = (result: AgentResult): string => `[result] ${JSON.stringify(result)}\n`;

export interface UsageSeed {
  readonly messageId: string;
  readonly model?: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly cacheReadTokens?: number;
  readonly cacheWriteTokens?: number;
  readonly costUsd?: number;
}

/** Builds a `[usage] {json}` line. */
export const usageLine = (usage: UsageSeed): string => `[usage] ${JSON.stringify(usage)}\n`;

/** A typical successful implementation log: some output, usage, and a result with a PR. */
export const okLog = (prNumber?: number, summary = 'done'): string =>
  'working on it\n' +
  usageLine({ messageId: 'm1', model: 'claude-sonnet', inputTokens: 100, outputTokens: 20, costUsd: 0.01 }) +
  resultLine({ ok: true, summary, ...(prNumber === undefined ? {} : { prNumber }) });

/** A failing log: output lines and a result carrying the reason. */
export const failLog = (
  reason: string,
  lines: readonly string[] = ['npm test', 'FAIL src/x.test.ts'],
): string => lines.map((l) => `${l}\n`).join('') + resultLine({ ok: false, reason });
