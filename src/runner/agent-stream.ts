import { abbreviate } from './abbreviate.js';
import { renderClaudeEvent } from './claude-events.js';
import { renderCodexEvent } from './codex-events.js';
import { parseJsonLine } from './json-fields.js';
import type { CliSignal } from './quota-detect.js';
import type { UsageSample } from './usage-tracker.js';

/** What one line of agent output means to the runner. */
export interface StreamEvent {
  /** Readable lines for the log. */
  readonly lines: string[];
  readonly usage?: UsageSample;
  /** The run's total cost, from Claude's final `result` event. */
  readonly costUsd?: number;
  /** The agent's closing words (result text or last message), used as the summary. */
  readonly finalText?: string;
  /** What the CLI itself said about the run (never the model's words or tool output). */
  readonly signal?: CliSignal;
}

export interface StreamContext {
  /** Model from the spec, for streams that do not name one (Codex). */
  readonly model?: string;
  /** Mutable per-run state for formats that number their turns. */
  readonly state: { threadId?: string; turns: number };
}

const MAX_PLAIN = 4000;

/**
 * Renders one line of agent output: Claude `--output-format stream-json` and Codex
 * `exec --json` events become readable lines; anything else is passed through unchanged.
 * The lines are the agent's: the runner prints them through `RunnerLog.agent`, which escapes them.
 */
export const renderAgentLine = (raw: string, ctx: StreamContext): StreamEvent => {
  const event = parseJsonLine(raw);
  const rendered =
    event === undefined ? undefined : (renderClaudeEvent(event) ?? renderCodexEvent(event, ctx));
  if (rendered !== undefined) return rendered;
  const line = raw.length > MAX_PLAIN ? abbreviate(raw, MAX_PLAIN) : raw;
  // A JSON event of some other kind is shown, but is no signal.
  return event === undefined ? { lines: [line], signal: { kind: 'plain', text: raw } } : { lines: [line] };
};
