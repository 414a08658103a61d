import type { ChatOutbox, ChatServices, Transport } from '../bot/transport.js';
import type { FarmApi } from '../core/api/farm-api.js';
import type { EngineEvent, EventSink } from '../core/engine/events.js';
import { issueKey, repoKey, type RepoRef } from '../core/model/refs.js';
import type { Logger } from '../core/ports/logger.js';
import type { StateStore } from '../core/ports/state-store.js';
import { makeRedactor, secretValuesOf } from '../core/secrets/index.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { configSecretValues } from '../adapters/config/mask-config.js';
import { realTimers } from '../adapters/chat/budget-timers.js';
import { AlertRouter } from '../adapters/chat/notify/alert-router.js';
import { AttemptThreads, type ChatPlatform } from '../adapters/chat/notify/attempt-threads.js';
import { LogFollower } from '../adapters/chat/notify/log-follow.js';
import type { BudgetTimers } from '../core/domain/send-budget.js';

/** An event sink whose target is set once the chat side exists (the farm is built before the transports). */
export class LateSink implements EventSink {
  private target: EventSink | undefined;
  set(sink: EventSink | undefined): void {
    this.target = sink;
  }
  emit(e: EngineEvent): void {
    this.target?.emit(e);
  }
}

export interface ChatNotify {
  readonly sink: EventSink;
  readonly services: ChatServices;
  readonly threads: AttemptThreads;
  readonly alerts: AlertRouter;
  readonly follower: LogFollower;
  /** Waits for what is being sent (tests, shutdown). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const channelsOf =
  (
    c:
      | { readonly defaultChannel?: string; readonly channelsByRepo: Readonly<Record<string, string>> }
      | undefined,
  ) =>
  (repo: RepoRef): string | undefined =>
    c?.channelsByRepo[repoKey(repo).toLowerCase()] ?? c?.defaultChannel;

/**
 * The chat side of what k3sc says on its own, over the outboxes of the started transports:
 * per-attempt threads, routed alerts, review hand-offs, log follows. Undefined when no transport
 * has an outbox (console only).
 */
export const chatNotify = (opts: {
  config: K3scConfig;
  transports: readonly Transport[];
  store: StateStore;
  farm: FarmApi;
  logger: Logger;
  now: () => Date;
  timers?: BudgetTimers;
  /** Log follow batching (tests shorten it). */
  followBatchMs?: number;
}): ChatNotify | undefined => {
  const outboxes = opts.transports.flatMap((t) => (t.outbox ? [t.outbox] : []));
  if (outboxes.length === 0) return undefined;
  const { config, logger } = opts;
  const log = logger.child({ component: 'chat-notify' });
  const platforms: ChatPlatform[] = outboxes.map((outbox: ChatOutbox) => ({
    outbox,
    channelFor: channelsOf(outbox.platform === 'slack' ? config.chat.slack : config.chat.discord),
  }));
  const redact = makeRedactor([...configSecretValues(config), ...secretValuesOf(process.env)]);
  const alerts = new AlertRouter({
    routes: config.alerts.routes,
    outboxes,
    store: opts.store,
    logger: log,
    now: opts.now,
  });
  const threads = new AttemptThreads({
    platforms,
    store: opts.store,
    logger: log,
    now: opts.now,
    redact,
    onHandoff: (ref, reply, attempt) => alerts.handoff(ref, reply, attempt),
  });
  const follower = new LogFollower({
    outboxes,
    redact,
    logger: log,
    timers: opts.timers ?? realTimers,
    ...(opts.followBatchMs === undefined ? {} : { batchMs: opts.followBatchMs }),
    source: {
      follow: (ref, signal) => opts.farm.followLogs(issueKey(ref), {}, { signal, log }),
      thread: (platform, ref) => threads.thread(platform, ref),
    },
  });
  const workers = config.chat.workers;
  const services: ChatServices = {
    follow: (platform, ref) => follower.start(platform, ref),
    unfollow: (platform, ref) => follower.stop(platform, ref),
    workerFor: (actorId) => workers[actorId.slice(actorId.indexOf(':') + 1)],
    workerChoices: () => [
      ...new Set([...Object.values(workers), ...config.families.map((f) => `${f.name}-review`)]),
    ],
    prOf: async (platform, ref) => {
      const pr = (await threads.thread(platform, ref))?.card.pr;
      return pr ? { repo: ref.repo, number: pr.number } : undefined;
    },
    reviewTaken: (ref, worker) => threads.mark(ref, 'review', { reviewer: worker }),
  };
  const settled = async (): Promise<void> => {
    await threads.settled();
    await alerts.settled();
  };
  return {
    sink: { emit: (e) => (threads.emit(e), alerts.emit(e)) },
    services,
    threads,
    alerts,
    follower,
    settled,
    close: async () => {
      await follower.close();
      await settled();
    },
  };
};
