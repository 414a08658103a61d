import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentResult } from '../core/model/attempt.js';
import { buildAgentArgv } from './agent-command.js';
import { runAgentSession, type AgentOutcome } from './agent-session.js';
import type { RunnerGitHub } from './github-api.js';
import {
  commentIds,
  ensureImplementHandoff,
  ensurePull,
  ensureReviewHandoff,
  summaryOf,
  type HandoffContext,
} from './handoff.js';
import { agentEnv, prepareAttempt, type PreparedAttempt } from './prepare-attempt.js';
import { implementPrompt, reviewPrompt } from './prompts.js';
import { makeRedactor, secretValuesOf } from '../core/secrets/index.js';
import { redactingRunnerGitHub } from './redacting-github.js';
import { makeRunnerLog, redactResult, type RunnerLog } from './runner-log.js';
import type { RunnerSpec } from '../core/protocol/runner-spec.js';

export interface RunnerDeps {
  readonly github: RunnerGitHub;
  /** Receives every output line (no trailing newline). */
  readonly write: (line: string) => void;
  /** Base environment for git and the agent (usually process.env). */
  readonly env: NodeJS.ProcessEnv;
  readonly token?: string;
  readonly now: () => Date;
  /** Node binary for the guardrail scripts (process.execPath). */
  readonly nodePath: string;
  readonly signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL when the agent is stopped; default 3 s, well inside the runtime's own grace. */
  readonly killGraceMs?: number;
}

interface Ctx {
  readonly spec: RunnerSpec;
  readonly deps: RunnerDeps;
  readonly log: RunnerLog;
  readonly p: PreparedAttempt;
  readonly h: HandoffContext;
  readonly endsAt: number;
  readonly redact: (text: string) => string;
}

const fail = (reason: string, extra: Partial<AgentResult> = {}): AgentResult => ({
  ok: false,
  reason,
  ...extra,
});

/**
 * Why the agent run failed, or undefined when it ended well. The runner's own reasons (spawn,
 * stop, deadline) come first; a usage limit is only ever found on a failed run (`detectUsageLimit`).
 */
const agentFailure = (o: AgentOutcome, deadlineSeconds: number): AgentResult | undefined => {
  if (o.exit.spawnError !== undefined) return fail(o.exit.spawnError);
  if (o.exit.aborted) return fail('stopped before the agent finished');
  if (o.exit.timedOut) return fail(`agent deadline exceeded (${deadlineSeconds}s)`);
  if (o.quotaResetAt !== undefined)
    return fail(`usage limit reached; the family may run again at ${o.quotaResetAt}`, {
      quotaResetAt: o.quotaResetAt,
    });
  if (o.exit.exitCode !== 0) {
    return fail(
      o.exit.exitCode === null
        ? `agent killed by ${o.exit.signal ?? 'a signal'}`
        : `agent exited with code ${o.exit.exitCode}`,
    );
  }
  return undefined;
};

const runAgent = async (
  c: Ctx,
  prompt: string,
): Promise<{ outcome: AgentOutcome; failure?: AgentResult }> => {
  const { spec, deps, p } = c;
  const promptFile = join(p.guardDir, 'prompt.md');
  await writeFile(promptFile, prompt, 'utf8');
  const argv = buildAgentArgv(spec.agent.command, {
    prompt,
    promptFile,
    issue: spec.issue,
    repo: p.repoName,
    ...(spec.agent.model === undefined ? {} : { model: spec.agent.model }),
    ...(spec.limits?.maxTurns === undefined ? {} : { maxTurns: spec.limits.maxTurns }),
    ...(spec.limits?.budgetUsd === undefined ? {} : { budgetUsd: spec.limits.budgetUsd }),
  });
  const reserve = Math.min(120_000, spec.deadlineSeconds * 100);
  const deadlineMs = Math.max(1, c.endsAt - reserve - deps.now().getTime());
  c.log.step(`running the agent: ${argv.map((a) => (a === prompt ? '<prompt>' : a)).join(' ')}`);
  const outcome = await runAgentSession({
    argv,
    cwd: p.dir,
    env: agentEnv(spec, p, deps.env, deps.token),
    deadlineMs,
    killGraceMs: deps.killGraceMs ?? 3_000,
    attemptName: spec.attemptName,
    log: c.log,
    redact: c.redact,
    now: deps.now,
    ...(spec.agent.model === undefined ? {} : { model: spec.agent.model }),
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
  });
  const failure = agentFailure(outcome, spec.deadlineSeconds);
  return failure === undefined ? { outcome } : { outcome, failure };
};

const implement = async (c: Ctx): Promise<AgentResult> => {
  const { spec, p } = c;
  const before = await commentIds(c.h, spec.issue);
  const issue = { repo: p.repoName, number: spec.issue, ...p.issue };
  const prompt = implementPrompt({
    issue,
    branch: spec.branch,
    defaultBranch: p.defaultBranch,
    ghAllowed: spec.safety.ghAllowed,
  });
  const { outcome, failure } = await runAgent(c, prompt);
  if (failure !== undefined) return failure;
  const range = `refs/remotes/origin/${p.defaultBranch}..refs/heads/${spec.branch}`;
  const subjects = (await p.git(['log', '--format=%s', range], { cwd: p.dir })).stdout
    .split('\n')
    .filter(Boolean);
  const dirty = (await p.git(['status', '--porcelain'], { cwd: p.dir })).stdout.trim();
  if (dirty) c.log.step('warning: the agent left uncommitted changes; only commits are pushed');
  if (subjects.length === 0) return fail('agent made no changes');
  c.log.step(`pushing ${subjects.length} commit(s) to ${spec.branch}…`);
  await p.git(['push', '--quiet', 'origin', `refs/heads/${spec.branch}:refs/heads/${spec.branch}`], {
    cwd: p.dir,
  });
  const pr = await ensurePull(c.h, {
    branch: spec.branch,
    base: p.defaultBranch,
    title: p.issue.title,
    issue: spec.issue,
    attemptName: spec.attemptName,
  });
  const summary = summaryOf(outcome.finalText, subjects);
  await ensureImplementHandoff(c.h, { issue: spec.issue, before, pr, slot: spec.slot, summary });
  return { ok: true, summary, prNumber: pr.number, prUrl: pr.url };
};

const review = async (c: Ctx): Promise<AgentResult> => {
  const { spec, p } = c;
  const pr = await c.deps.github.findOpenPull(p.repo, spec.branch, c.deps.signal);
  if (pr === undefined) return fail(`no open pull request for branch ${spec.branch} to review`);
  const beforePr = await commentIds(c.h, pr.number);
  const beforeIssue = await commentIds(c.h, spec.issue);
  const issue = { repo: p.repoName, number: spec.issue, ...p.issue };
  const prompt = reviewPrompt({
    issue,
    pr,
    branch: spec.branch,
    defaultBranch: p.defaultBranch,
    ghAllowed: spec.safety.ghAllowed,
  });
  const { outcome, failure } = await runAgent(c, prompt);
  if (failure !== undefined) return { ...failure, prNumber: pr.number, prUrl: pr.url };
  const summary = summaryOf(outcome.finalText, []);
  await ensureReviewHandoff(c.h, { issue: spec.issue, pr, beforePr, beforeIssue, slot: spec.slot, summary });
  return { ok: true, summary, prNumber: pr.number, prUrl: pr.url };
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Runs one attempt end to end and prints `[result] {json}` as the last line, also when
 * something throws. Never changes labels. Everything it prints, returns or writes to GitHub
 * is redacted (the token, the secret env values, and well-known token shapes).
 */
export const runAttempt = async (spec: RunnerSpec, given: RunnerDeps): Promise<AgentResult> => {
  const redact = makeRedactor([
    given.token,
    ...secretValuesOf(given.env),
    ...secretValuesOf(spec.agent.env ?? {}),
  ]);
  const deps: RunnerDeps = { ...given, github: redactingRunnerGitHub(given.github, redact) };
  const log = makeRunnerLog(deps.write, redact);
  const endsAt = deps.now().getTime() + spec.deadlineSeconds * 1000;
  let result: AgentResult;
  try {
    log.step(
      `attempt ${spec.attemptName}: ${spec.kind} ${spec.repo.owner}/${spec.repo.name}#${spec.issue} on ${spec.branch} (slot ${spec.slot})`,
    );
    const env = { ...deps.env, ...(deps.token === undefined ? {} : { GITHUB_TOKEN: deps.token }) };
    const p = await prepareAttempt(spec, {
      github: deps.github,
      env,
      nodePath: deps.nodePath,
      redact,
      log,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const h: HandoffContext = {
      github: deps.github,
      repo: p.repo,
      log,
      ...(deps.signal ? { signal: deps.signal } : {}),
    };
    const c: Ctx = { spec, deps: { ...deps, env }, log, p, h, endsAt, redact };
    result = spec.kind === 'implement' ? await implement(c) : await review(c);
  } catch (err) {
    result = fail(deps.signal?.aborted === true ? 'stopped before the agent finished' : messageOf(err));
  }
  result = redactResult(result, redact);
  log.step(result.ok ? 'attempt succeeded' : `attempt failed: ${result.reason ?? 'unknown reason'}`);
  log.result(result);
  return result;
};
