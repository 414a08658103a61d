import { randomBytes } from 'node:crypto';
import { createCommandRouter } from '../bot/command-router.js';
import { durableAudit } from '../bot/durable-audit.js';
import type { EngineEvent } from '../core/engine/events.js';
import { K3scError } from '../core/errors.js';
import { issueKey } from '../core/model/refs.js';
import type { Logger } from '../core/ports/logger.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { createGitHubWebhookHandler } from '../adapters/github/index.js';
import { buildFarm } from './build-farm.js';
import { chatNotify, LateSink } from './chat-notify.js';
import { chatEndpoints, configuredTransports, rbacPolicy, startTransports } from './chat-transports.js';
import { startServeSchedules } from './serve-schedules.js';
import { controlHandler } from './control-api.js';
import {
  controlPath,
  newControlToken,
  readControlFile,
  removeControlFile,
  writeControlFile,
} from './control-file.js';
import { sendJson, startHttpServer } from './http-server.js';
import { runWhileLeader } from './leader-gate.js';
import { leaderOnlyFarm, leaderOnlySink, withLeaderConnections } from './leader-side-effects.js';
import { Metrics } from './metrics.js';
import { SANDBOX_BANNER, startSandbox, type Sandbox } from './sandbox.js';
import { lockDataDir } from './serve-lock.js';
import { forwardSandboxWebhooks } from './sandbox-webhooks.js';
import { webGithub } from './web/web-github.js';
import { webPlugin } from './web/web-app.js';
import { DashboardSignal } from './web/dashboard-signal.js';
import { webRunner } from './web/web-commands.js';

export interface ServeOptions {
  readonly config: K3scConfig;
  readonly logger: Logger;
  readonly write: (text: string) => void;
  readonly console: boolean;
  readonly input?: NodeJS.ReadableStream;
  readonly signal: AbortSignal;
  readonly port?: number;
  /** Where the runner and stub agent live (defaults to this build's dist/runner). */
  readonly runnerDir?: string;
}

export const describeEvent = (e: EngineEvent): string | undefined => {
  switch (e.type) {
    case 'transition':
      return `${issueKey(e.ref)}: ${e.from} → ${e.to} (by ${e.by})`;
    case 'alert':
      return `alert [${e.kind}] ${e.message}`;
    case 'attempt-started':
      return `${issueKey(e.ref)}: attempt ${e.attempt} started on ${e.slot}`;
    case 'attempt-finished':
      return `${issueKey(e.ref)}: attempt ${e.attempt} ${e.ok ? 'succeeded' : 'failed'}`;
    default:
      return undefined;
  }
};

/**
 * `k3sc serve`: engine loop, HTTP (health, metrics, webhooks, control API), console chat.
 * Stops in reverse order when `signal` aborts (SIGTERM/SIGINT in main).
 */
export const serve = async (opts: ServeOptions): Promise<void> => {
  const { config, logger, write } = opts;
  // Aborted as well when a deposed leader must stop (it held a chat connection; ADR 0008).
  const deposed = new AbortController();
  const signal = AbortSignal.any([opts.signal, deposed.signal]);
  const stack: (() => Promise<void> | void)[] = [];
  // Before touching anything under the data dir (the sandbox wipes and re-seeds its folder):
  // a running serve is named with its address; one that is still starting holds the lock.
  const running = await readControlFile(config.dataDir);
  if (running)
    throw new K3scError(
      'conflict',
      `k3sc serve (pid ${running.pid}) already runs on data dir ${config.dataDir} at ${running.url}; stop it first, or give this one another data_dir (if no such process runs, delete ${controlPath(config.dataDir)})`,
    );
  const lock = await lockDataDir(config.dataDir);
  if (lock.note !== undefined) logger.warn({ dataDir: config.dataDir }, lock.note);
  stack.push(() => lock.release());
  try {
    let sandbox: Sandbox | undefined;
    if (config.github.auth.kind === 'none') {
      sandbox = await startSandbox(`${config.dataDir}/sandbox`);
      stack.push(() => sandbox?.close());
      write(`${SANDBOX_BANNER}\n`);
    }
    const metrics = new Metrics();
    const chatSink = new LateSink(); // per-attempt threads and alerts, once the transports exist
    const dashChanges = new DashboardSignal(); // engine events and commands push the web dashboard
    const built = await buildFarm({
      config,
      logger,
      serving: true,
      signal,
      ...(sandbox ? { sandbox } : {}),
      ...(opts.runnerDir ? { runnerDir: opts.runnerDir } : {}),
      events: [
        metrics,
        chatSink,
        dashChanges,
        {
          emit: (e) => {
            const line = describeEvent(e);
            if (line) write(`${line}\n`);
          },
        },
      ],
    });
    stack.push(() => built.close({ runs: 'stop' })); // stops live agents as interrupted, then the store
    const { farm } = built;
    // With several replicas only the leader changes anything; a follower serves reads (ADR 0008).
    const gate = built.leader;
    const front = leaderOnlyFarm(farm, gate);
    // Every command and click, durably (audit records); flushed before the store closes.
    const audit = dashChanges.watchAudit(durableAudit(farm.api, logger));
    stack.push(() => audit.flush());
    // The sandbox makes up a secret unless one is configured (then outside tools can sign too).
    const webhookSecret =
      config.github.webhookSecret?.value ?? (sandbox ? randomBytes(16).toString('hex') : undefined);
    const token = newControlToken();
    let ready = false;
    const chat = withLeaderConnections(chatEndpoints(config, logger), config, gate, logger, () =>
      deposed.abort(new Error('leadership lost')),
    ); // Slack events and Discord interactions on this server
    const policy = rbacPolicy(config.rbac);
    const web = config.web
      ? webPlugin({
          api: front.api,
          config: config.web,
          policy,
          sandbox: sandbox !== undefined,
          configChoices: {
            repos: built.deps.settings.repos.map((r) => `${r.owner}/${r.name}`),
            families: built.deps.settings.families.map((f) => f.name),
          },
          run: webRunner({ farm: front, logger, audit, policy }),
          logger: logger.child({ transport: 'web' }),
          records: built.deps.store,
          github: webGithub(config, sandbox),
          changes: dashChanges,
          signal,
        })
      : undefined;
    const http = await startHttpServer({
      host: config.http.host,
      port: opts.port ?? config.http.port,
      logger,
      ...(web ? { plugins: [web.plugin], trustProxy: web.trustProxy } : {}),
      routes: {
        'GET /healthz': (_q, res) => sendJson(res, 200, { ok: true }),
        'GET /readyz': (_q, res) => sendJson(res, ready ? 200 : 503, { ready }),
        'GET /metrics': async (_q, res) => {
          metrics.liveAttempts.set((await built.deps.store.listAttempts({ liveOnly: true })).length);
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(await metrics.registry.metrics());
        },
        'POST /webhooks/github': webhookSecret
          ? createGitHubWebhookHandler({
              secret: webhookSecret,
              logger,
              onEvent: (e) => built.engine.trigger(e.repo),
            })
          : (_q, res) =>
              sendJson(res, 503, {
                error: 'webhooks are off: set K3SC_WEBHOOK_SECRET or github.webhook_secret_file',
              }),
        'POST /api/command': controlHandler({ farm: front, token, logger, audit, signal }),
        ...chat.routes,
      },
    });
    stack.push(() => http.close());
    await writeControlFile(config.dataDir, { pid: process.pid, url: http.url, token });
    stack.push(() => removeControlFile(config.dataDir));
    if (sandbox && webhookSecret)
      stack.push(forwardSandboxWebhooks(sandbox, `${http.url}/webhooks/github`, webhookSecret, logger));
    write(
      `k3sc serve: ${farm.runtimeName} runtime, ${built.deps.settings.repos.length} repo(s), http ${http.url} (/healthz /readyz /metrics /webhooks/github)\n`,
    );
    if (config.web)
      write(`k3sc dashboard: ${http.url}${config.web.basePath === '/' ? '/' : `${config.web.basePath}/`}\n`);
    // With a leader gate (Kubernetes, several replicas) only the leader runs the loop's side effects.
    const loop = built.leader
      ? runWhileLeader(built.leader, signal, (s) => built.engine.run(s), logger)
      : built.engine.run(signal);
    void built.engine.pass({ dryRun: true, signal }).then(
      () => {
        ready = true;
      },
      () => undefined,
    );
    const notify = chatNotify({
      config,
      transports: chat.transports,
      store: built.deps.store,
      farm: farm.api,
      logger,
      now: () => built.deps.clock.now(),
    });
    chatSink.set(leaderOnlySink(notify?.sink, gate));
    const routed = notify ? { ...farm, chat: notify.services } : farm;
    const router = createCommandRouter({
      farm: leaderOnlyFarm(routed, gate),
      logger,
      audit,
      policy,
    });
    const transports = configuredTransports({
      console: opts.console,
      write,
      ...(opts.input ? { input: opts.input } : {}),
      extra: chat.transports,
    });
    stack.push(await startTransports(transports, router, signal));
    stack.push(startServeSchedules({ config, built, transports, logger, gate }));
    if (notify) stack.push(() => notify.close()); // before the transports stop: follows say goodbye
    await loop;
    // A finished run may still be being applied (its labels written, its record not yet).
    await built.engine.drained();
  } finally {
    for (const stop of stack.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.warn({ err }, 'shutdown step failed');
      }
    }
  }
};
