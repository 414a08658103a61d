import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { farmOf, type Farm } from '../bot/farm.js';
import { createFarmApi } from '../core/api/farm-api.js';
import type { EngineDeps } from '../core/engine/deps.js';
import { Engine } from '../core/engine/engine.js';
import { fanOut, type EventSink } from '../core/engine/events.js';
import { WorkItemsCache } from '../core/engine/work-items-cache.js';
import { K3scError } from '../core/errors.js';
import { KeyedQueue } from '../core/keyed-queue.js';
import type { EngineSettings } from '../core/model/settings.js';
import { systemClock } from '../core/ports/clock.js';
import type { Logger } from '../core/ports/logger.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { toEngineSettings } from '../adapters/config/index.js';
import { configSecretValues } from '../adapters/config/mask-config.js';
import { RedactingTracker } from '../adapters/github/redacting-tracker.js';
import { makeRedactor } from '../core/secrets/index.js';
import { createOctokit, GitHubTracker, type GitHubAuth } from '../adapters/github/index.js';
import { claudeSessionFiles } from '../adapters/claude-sessions/index.js';
import type { CloseOptions } from '../adapters/local-runtime/index.js';
import {
  assertRuntimeSupported,
  buildRuntime,
  openStateStore,
  type LeaderElectionTuning,
} from './build-runtime.js';
import type { LeaderGate } from './leader-gate.js';
import { makeRunnerSpecBuilder, type AgentSettings } from './runner-spec-builder.js';
import { SANDBOX_BOT, type Sandbox } from './sandbox.js';
import type { GitHubClient } from '../adapters/github/index.js';

/** k3sc's own login (a token's user, or an App's `<slug>[bot]`), so its own `ready` is trusted. */
const discoverLogin = async (
  client: GitHubClient,
  auth: GitHubAuth,
  logger: Logger,
): Promise<string | undefined> => {
  try {
    if (auth.kind === 'token') return (await client.rest.users.getAuthenticated()).data.login;
    const app = (await client.rest.apps.getAuthenticated()).data;
    return app?.slug ? `${app.slug}[bot]` : undefined;
  } catch (err) {
    logger.warn(
      { err },
      "could not read k3sc's own GitHub login; issues it requeues must be re-labelled ready by a person",
    );
    return undefined;
  }
};

export interface BuiltFarm {
  /** What commands reach: the core facade. */
  readonly farm: Farm;
  /** The engine and its ports, for the composition root only (loop, webhooks, metrics, shutdown). */
  readonly engine: Engine;
  readonly deps: EngineDeps;
  readonly tracker: GitHubTracker;
  readonly githubToken?: string;
  /** Present with several possible replicas (Kubernetes): the engine loop runs only while leading. */
  readonly leader?: LeaderGate;
  /**
   * Closes the runtime, then the store. Local runs are stopped (as interrupted) or kept for the
   * next k3sc to adopt; the default is `stop` for a serving farm, `keep` for a one-shot command.
   */
  close(opts?: CloseOptions): Promise<void>;
}

const distFile = (rel: string): string => fileURLToPath(new URL(`../${rel}`, import.meta.url));

export interface FarmOptions {
  readonly config: K3scConfig;
  readonly logger: Logger;
  readonly serving: boolean;
  readonly sandbox?: Sandbox;
  readonly events?: readonly EventSink[];
  /** Where the runner and stub agent live (defaults to this build's dist/runner). */
  readonly runnerDir?: string;
  /** The process's root signal: ends GitHub rate-limit waits (and so passes) on shutdown. */
  readonly signal?: AbortSignal;
  /** Leader election timings and identity (tests, benches); the defaults are production's. */
  readonly leaderElection?: LeaderElectionTuning;
  /**
   * GitHub's API as the agents reach it, when that differs from k3sc's own address (the e2e
   * test's fake: k3sc on 127.0.0.1, agent pods at the node IP). Default: the same URL.
   */
  readonly agentGithubApiUrl?: string;
}

const githubAuth = (
  config: K3scConfig,
  sandbox?: Sandbox,
): { auth: GitHubAuth; token?: string; apiUrl: string } => {
  if (sandbox)
    return { auth: { kind: 'token', token: sandbox.token }, token: sandbox.token, apiUrl: sandbox.apiUrl };
  const a = config.github.auth;
  if (a.kind === 'token')
    return { auth: { kind: 'token', token: a.token }, token: a.token, apiUrl: config.github.apiUrl };
  if (a.kind === 'app')
    return {
      auth: { kind: 'app', appId: a.appId, privateKey: a.privateKey, installationId: a.installationId },
      apiUrl: config.github.apiUrl,
    };
  throw new K3scError(
    'config_invalid',
    'no GitHub credentials: set GITHUB_TOKEN (or GH_TOKEN), github.token_file or github.app — or run `k3sc serve` with none for the sandbox',
  );
};

const sandboxSettings = (settings: EngineSettings, sandbox?: Sandbox): EngineSettings =>
  sandbox ? { ...settings, repos: [sandbox.repo], allowedAuthors: sandbox.allowedAuthors } : settings;

/** The composition of ports → engine → farm that `serve`, `demo` and one-shot CLI commands share. */
export const buildFarm = async (opts: FarmOptions): Promise<BuiltFarm> => {
  const { config, logger, sandbox } = opts;
  assertRuntimeSupported(config);
  const settings = sandboxSettings(toEngineSettings(config), sandbox);
  const gh = githubAuth(config, sandbox);
  // The sandbox's fake GitHub has no write limits to respect; real GitHub gets the 1 s write spacing.
  const client = createOctokit({
    baseUrl: gh.apiUrl,
    auth: gh.auth,
    logger,
    ...(sandbox ? { throttle: { minTime: 0 } } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const tracker = new GitHubTracker({ client });
  const botLogin = sandbox ? SANDBOX_BOT : await discoverLogin(client, gh.auth, logger);
  const engineSettings: EngineSettings = botLogin ? { ...settings, botLogin } : settings;
  const dataDir = sandbox ? join(config.dataDir, 'sandbox') : config.dataDir;
  const store = await openStateStore(config, dataDir, logger);
  const runnerDir = opts.runnerDir ?? distFile('runner');
  // Assigned once below; the runtime's onExit (created first) reaches them through these bindings.
  // eslint-disable-next-line prefer-const
  let engine: Engine | undefined;
  // eslint-disable-next-line prefer-const
  let leader: LeaderGate | undefined;
  const agentOf = (family: string): AgentSettings | undefined =>
    sandbox
      ? // The stub instead of the family's CLI, with the family's env (its K3SC_STUB_* knobs).
        {
          command: [process.execPath, join(runnerDir, 'stub-agent.js'), '{prompt}'],
          env: { ...config.agents[family]?.env },
        }
      : config.agents[family];
  const built = buildRuntime({
    config,
    dataDir,
    logger,
    runnerCommand: [process.execPath, join(runnerDir, 'main.js')],
    env: gh.token ? { GITHUB_TOKEN: gh.token } : {},
    // A finished run is applied by the leader only: every serving replica watches the Jobs, and
    // followers applying it too finished each attempt once per replica (replica-race test).
    onExit: () => {
      if (leader === undefined || leader.isLeader()) engine?.runExited();
    },
    serving: opts.serving,
    ...(opts.leaderElection ? { leaderElection: opts.leaderElection } : {}),
    buildSpec: makeRunnerSpecBuilder({ config, apiUrl: opts.agentGithubApiUrl ?? gh.apiUrl, agentOf }),
  });
  const { runtime } = built;
  leader = built.leader;
  const deps: EngineDeps = {
    settings: engineSettings,
    // The engine's comments quote attempt summaries and reasons: redact them on the way out.
    tracker: new RedactingTracker(tracker, makeRedactor([gh.token, ...configSecretValues(config)])),
    store,
    runtime,
    clock: systemClock,
    logger,
    events: fanOut(opts.events ?? []),
    queue: new KeyedQueue(),
    cache: new WorkItemsCache(),
  };
  engine = new Engine(deps);
  const farm = farmOf(
    createFarmApi({
      deps,
      engine,
      serving: opts.serving,
      runtimeName: `${config.runtime.kind}${sandbox ? ' (sandbox)' : ''}`,
      // `sessions`: Claude Code's own files on this machine (CLAUDE_CONFIG_DIR, as Claude Code reads it).
      localSessions: claudeSessionFiles({
        claudeDir: process.env['CLAUDE_CONFIG_DIR'] || join(homedir(), '.claude'),
      }),
    }),
  );
  const close = async (o?: CloseOptions): Promise<void> => {
    try {
      await built.close({ runs: o?.runs ?? (opts.serving ? 'stop' : 'keep') });
    } finally {
      await store.close();
    }
  };
  return {
    farm,
    engine,
    deps,
    tracker,
    ...(gh.token ? { githubToken: gh.token } : {}),
    ...(built.leader ? { leader: built.leader } : {}),
    close,
  };
};
