import type { AgentResult } from '../core/model/attempt.js';
import {
  escapeAgentLine,
  formatResultLine,
  formatUsageLine,
  LINE_BREAK,
  STEP_TAG,
} from '../core/protocol/report-lines.js';
import type { UsageRecord } from './usage-tracker.js';

/**
 * Where the runner's lines go. Every line is redacted, and only `usage` and `result` can
 * put a report tag at column 0: agent text is split at every line break and escaped, and a
 * step's continuation lines are indented. So nothing the agent prints (on stdout, stderr,
 * in its messages, or inside an error the runner reports) can pass for a report line.
 */
export interface RunnerLog {
  /** A step of the runner, printed as `[k3sc] <text>`; further lines of `text` are indented. */
  step(text: string): void;
  /** Output that comes from the agent (rendered events, plain lines); escaped. */
  agent(text: string): void;
  /** One `[usage] {json}` line. */
  usage(record: UsageRecord): void;
  /** The `[result] {json}` line. */
  result(result: AgentResult): void;
}

/** Longest line printed for agent output and steps; longer ones are cut. */
export const MAX_LINE_CHARS = 16_000;

const cut = (line: string): string =>
  line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;

/** The result with every text field redacted, as printed in `[result]` and returned. */
export const redactResult = (r: AgentResult, redact: (s: string) => string): AgentResult =>
  Object.fromEntries(
    Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v]),
  ) as unknown as AgentResult;

export const makeRunnerLog = (write: (line: string) => void, redact: (s: string) => string): RunnerLog => {
  const pieces = (text: string): string[] => redact(text).split(LINE_BREAK).map(cut);
  return {
    step: (text) => {
      const [first = '', ...rest] = pieces(text);
      write(`${STEP_TAG} ${first}`);
      for (const l of rest) write(`  ${l}`);
    },
    agent: (text) => {
      for (const l of pieces(text)) write(escapeAgentLine(l));
    },
    usage: (u) => write(formatUsageLine({ ...u, messageId: redact(u.messageId), model: redact(u.model) })),
    result: (r) => write(formatResultLine(redactResult(r, redact))),
  };
};
