/** Shared set-up for this folder's tests: a GitHub fake, a fast real Octokit and a tracker. */
import type { RepoRef } from '../core/model/refs.js';
import type { Clock } from '../core/ports/clock.js';
import type { Logger } from '../core/ports/logger.js';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import { createOctokit, type GitHubClient } from '../adapters/github/create-octokit.js';
import { GitHubTracker } from '../adapters/github/github-tracker.js';

export interface LogLine {
  readonly level: string;
  readonly msg: string | undefined;
  readonly fields: object;
}

export const recordingLogger = (lines: LogLine[] = []): Logger & { lines: LogLine[] } => {
  const make = (bindings: object): Logger => {
    const at =
      (level: string) =>
      (fields: object, msg?: string): void => {
        lines.push({ level, msg, fields: { ...bindings, ...fields } });
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (b) => make({ ...bindings, ...b }),
    };
  };
  return Object.assign(make({}), { lines });
};

export const manualClock = (
  start = Date.parse('2025-01-01T00:00:00Z'),
): Clock & { advance(ms: number): void } => {
  let t = start;
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
};

export const BOT_TOKEN = 'ghp_bot_secret_token_value';

export interface Harness {
  readonly fake: GitHubFake;
  readonly client: GitHubClient;
  readonly tracker: GitHubTracker;
  readonly clock: ReturnType<typeof manualClock>;
  readonly logs: LogLine[];
  readonly repo: RepoRef;
  close(): Promise<void>;
}

/** Fake with tokens (bot + alice), a repo `acme/widgets`, and Octokit tuned to never wait long. */
export const startHarness = async (
  opts: {
    token?: string;
    retries?: number;
    maxRetries?: number;
    requestTimeoutMs?: number;
    /** Real milliseconds per second of rate-limit wait (default 1: waits are near-instant). */
    retryAfterBaseMs?: number;
  } = {},
): Promise<Harness> => {
  const fake = await startGitHubFake({ tokens: { [BOT_TOKEN]: 'k3sc-bot', ghp_alice: 'alice' } });
  const repo = { owner: 'acme', name: 'widgets' };
  fake.addRepo(repo);
  const logger = recordingLogger();
  const client = createOctokit({
    baseUrl: fake.url,
    auth: { kind: 'token', token: opts.token ?? BOT_TOKEN },
    logger,
    throttle: { minTime: 0, retryAfterBaseMs: opts.retryAfterBaseMs ?? 1, maxRetries: opts.maxRetries ?? 3 },
    retries: opts.retries ?? 3,
    retryBaseMs: 1,
    ...(opts.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: opts.requestTimeoutMs }),
  });
  const clock = manualClock();
  const tracker = new GitHubTracker({ client, clock });
  return { fake, client, tracker, clock, logs: logger.lines, repo, close: () => fake.close() };
};
