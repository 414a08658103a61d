import { renderAgentLine, type StreamContext } from './agent-stream.js';
import { addSignal, detectUsageLimit, NO_EVIDENCE, type LimitEvidence } from './quota-detect.js';
import { runAgentProcess, type AgentExit } from './run-agent.js';
import type { RunnerLog } from './runner-log.js';
import { UsageTracker } from './usage-tracker.js';

export interface AgentSessionOptions {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly deadlineMs: number;
  readonly killGraceMs: number;
  readonly model?: string;
  readonly attemptName: string;
  readonly log: RunnerLog;
  /** Applied to each raw line before it is read, so no summary or cut-down line keeps part of a secret. */
  readonly redact?: (line: string) => string;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
}

export interface AgentOutcome {
  readonly exit: AgentExit;
  /** The agent's closing words, for the summary. */
  readonly finalText?: string;
  readonly quotaResetAt?: string;
  readonly costUsd: number;
}

/**
 * Runs the agent, printing its rendered stream (escaped, through `log.agent`) and one `[usage]`
 * line per model message. Whether it stopped on a usage limit is decided once it has exited,
 * from the CLI's own signals and its exit status (`detectUsageLimit`).
 */
export const runAgentSession = async (opts: AgentSessionOptions): Promise<AgentOutcome> => {
  const tracker = new UsageTracker();
  const ctx: StreamContext = {
    ...(opts.model === undefined ? {} : { model: opts.model }),
    state: { turns: 0 },
  };
  let finalText: string | undefined;
  let evidence: LimitEvidence = NO_EVIDENCE;
  let costUsd: number | undefined;
  const onLine = (raw: string): void => {
    const ev = renderAgentLine(opts.redact ? opts.redact(raw) : raw, ctx);
    for (const l of ev.lines) opts.log.agent(l);
    if (ev.usage !== undefined) for (const u of tracker.add(ev.usage)) opts.log.usage(u);
    if (ev.costUsd !== undefined) costUsd = ev.costUsd;
    if (ev.finalText !== undefined && ev.finalText.trim() !== '') finalText = ev.finalText.trim();
    if (ev.signal !== undefined) evidence = addSignal(evidence, ev.signal);
  };
  const exit = await runAgentProcess({
    argv: opts.argv,
    cwd: opts.cwd,
    env: opts.env,
    deadlineMs: opts.deadlineMs,
    killGraceMs: opts.killGraceMs,
    onLine,
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
  });
  for (const u of tracker.finish(costUsd ?? 0, `${opts.attemptName}:result`)) opts.log.usage(u);
  const quotaResetAt = detectUsageLimit(evidence, exit, opts.now());
  return {
    exit,
    costUsd: costUsd ?? 0,
    ...(finalText === undefined ? {} : { finalText }),
    ...(quotaResetAt === undefined ? {} : { quotaResetAt }),
  };
};
