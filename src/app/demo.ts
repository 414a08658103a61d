import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { K3scError } from '../core/errors.js';
import type { EngineEvent } from '../core/engine/events.js';
import { issueKey, sameIssue } from '../core/model/refs.js';
import type { Logger } from '../core/ports/logger.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { buildFarm } from './build-farm.js';
import { LateSink } from './chat-notify.js';
import { startDemoChat } from './demo-chat.js';
import { startSandbox } from './sandbox.js';
import { describeEvent } from './serve.js';

export interface DemoResult {
  readonly issue: string;
  readonly labels: readonly string[];
  readonly prNumber?: number;
  readonly transitions: readonly string[];
  readonly attempts: readonly { name: string; kind: string; slot: string; phase: string; costUsd: number }[];
  readonly comments: number;
  /** `--chat`: the HTML transcript of what the channel showed, in the data dir. */
  readonly transcript?: string;
}

/**
 * `k3sc demo`: the whole flow offline on a fresh sandbox in a temp data dir — ready → owner →
 * needs-review → (review) → needs-human — then exits. Rejects after `timeoutMs`.
 */
export const runDemo = async (opts: {
  config: K3scConfig;
  logger: Logger;
  write: (s: string) => void;
  timeoutMs: number;
  runnerDir?: string;
  /** Stops the demo early (Ctrl-C); it then rejects, after stopping its agent runs. */
  signal?: AbortSignal;
  /** Also run the flow's chat (threads, alerts, hand-off) through this platform's transport and fake. */
  chat?: 'slack' | 'discord';
}): Promise<DemoResult> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'k3sc-demo-'));
  const sandbox = await startSandbox(join(dataDir, 'sandbox'));
  const ref = { repo: sandbox.repo, number: sandbox.issue };
  const transitions: string[] = [];
  const abort = new AbortController();
  let reached: (() => void) | undefined;
  const done = new Promise<void>((resolve) => (reached = resolve));
  // Done when the issue is needs-human AND every attempt on it has finished: the label moves
  // before the engine records the attempt's result, and the result is part of the demo's answer.
  let human = false;
  const live = new Set<string>();
  const onEvent = (e: EngineEvent): void => {
    const line = describeEvent(e);
    if (line) opts.write(`${line}\n`);
    if (e.type === 'transition' && sameIssue(e.ref, ref)) {
      transitions.push(`${e.from} → ${e.to}`);
      if (e.to === 'needs-human') human = true;
    }
    if (e.type === 'attempt-started' && sameIssue(e.ref, ref)) live.add(e.attempt);
    if (e.type === 'attempt-finished' && sameIssue(e.ref, ref)) live.delete(e.attempt);
    if (human && live.size === 0) reached?.();
  };
  const config: K3scConfig = {
    ...opts.config,
    dataDir,
    github: { ...opts.config.github, auth: { kind: 'none' } },
  };
  const chatSink = new LateSink();
  const built = await buildFarm({
    config,
    logger: opts.logger,
    serving: true,
    sandbox,
    events: [{ emit: onEvent }, chatSink],
    ...(opts.runnerDir ? { runnerDir: opts.runnerDir } : {}),
  });
  opts.write(
    `sandbox: ${sandbox.repo.owner}/${sandbox.repo.name}#${sandbox.issue} is ready; running the flow with the stub agent…\n`,
  );
  const chat = opts.chat
    ? await startDemoChat({
        platform: opts.chat,
        config,
        store: built.deps.store,
        farm: built.farm,
        logger: opts.logger,
        now: () => built.deps.clock.now(),
        outDir: opts.config.dataDir,
      })
    : undefined;
  chatSink.set(chat?.notify.sink);
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
  const stopped = (): void => abort.abort();
  opts.signal?.addEventListener('abort', stopped, { once: true });
  if (opts.signal?.aborted) abort.abort();
  const stopHooks = sandbox.github.onChange((c) => {
    if (c.event === 'issues' || c.event === 'pull_request') built.engine.trigger(sandbox.repo);
  });
  const loop = built.engine.run(abort.signal);
  try {
    await Promise.race([
      done,
      new Promise((resolve) => abort.signal.addEventListener('abort', resolve, { once: true })),
    ]);
    if (opts.signal?.aborted)
      throw new K3scError(
        'unavailable',
        `demo stopped before the issue reached needs-human (transitions: ${transitions.join(', ') || 'none'})`,
      );
    if (abort.signal.aborted)
      throw new K3scError(
        'unavailable',
        `demo did not reach needs-human within ${opts.timeoutMs / 1000}s (transitions: ${transitions.join(', ') || 'none'}); see the log above`,
      );
    const attempts = await built.deps.store.listAttempts({ repo: ref.repo, issue: ref.number });
    const issue = sandbox.github.getIssue(sandbox.repo, sandbox.issue);
    const prNumber = attempts.find((a) => a.prNumber !== undefined)?.prNumber;
    return {
      issue: `${ref.repo.owner}/${ref.repo.name}#${ref.number}`,
      labels: issue?.labels ?? [],
      ...(prNumber === undefined ? {} : { prNumber }),
      transitions,
      attempts: attempts.map((a) => ({
        name: a.name,
        kind: a.kind,
        slot: a.slot,
        phase: a.phase,
        costUsd: a.usage?.costUsd ?? 0,
      })),
      comments: sandbox.github.getComments(sandbox.repo, sandbox.issue).length,
      ...(chat ? { transcript: await chat.finish(built.farm, issueKey(ref)) } : {}),
    };
  } finally {
    await chat?.close();
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', stopped);
    abort.abort();
    stopHooks();
    await loop.catch(() => undefined);
    // Runs are detached processes: stop any still going before their directory is removed.
    await built.close({ runs: 'stop' });
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
};
