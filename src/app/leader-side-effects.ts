import type { Farm } from '../bot/farm.js';
import type { ChatServices, Transport } from '../bot/transport.js';
import type { FarmApi } from '../core/api/farm-api.js';
import type { K3scConfig } from '../adapters/config/index.js';
import type { EventSink } from '../core/engine/events.js';
import { K3scError } from '../core/errors.js';
import type { Logger } from '../core/ports/logger.js';
import type { LeaderGate } from './leader-gate.js';
import type { ScheduleJob } from './schedules.js';

/** What a follower answers to a command that would change something (ADR 0008). */
export const NOT_LEADER_MESSAGE =
  'this replica is not the leader; try again in a few seconds (only the leader changes anything)';

/**
 * What a follower may serve: reads of the shared records (every replica sees the same custom
 * resources) and the audit trail (records are created as locks, safe from any replica).
 * Everything else on the facade is a change and runs only on the leader.
 */
const FOLLOWER_READS: ReadonlySet<string> = new Set<keyof FarmApi>([
  'runtimeName',
  'serving',
  'resolveIssue',
  'dashboard',
  'issueStatus',
  'usage',
  'logs',
  'followLogs',
  'nextForHuman',
  'now',
  'listConfigs',
  'getConfig',
  'sessions',
  'auditLog',
  'recordAudit',
]);

const notLeader = (): never => {
  throw new K3scError('unavailable', NOT_LEADER_MESSAGE);
};

/**
 * The facade as every front end of a replica sees it (router, control API, web): reads always,
 * changes only while this replica leads — checked at each call, so a replica deposed a moment
 * ago refuses at once. `dispatch --dry-run` is a read. Unknown members count as changes.
 */
export const leaderOnlyApi = (api: FarmApi, gate: Pick<LeaderGate, 'isLeader'>): FarmApi =>
  new Proxy(api, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function' || FOLLOWER_READS.has(prop)) return value;
      const fn = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const dryRun = prop === 'dispatch' && (args[0] as { dryRun?: boolean } | undefined)?.dryRun === true;
        if (!dryRun && !gate.isLeader())
          return Promise.reject(new K3scError('unavailable', NOT_LEADER_MESSAGE));
        return fn.apply(target, args);
      };
    },
  });

/** The farm with a leader-only facade; chat services (thread posts, log follows) only while leading. */
export const leaderOnlyFarm = (farm: Farm, gate: Pick<LeaderGate, 'isLeader'> | undefined): Farm => {
  if (gate === undefined) return farm;
  const chat = farm.chat;
  const gatedChat: ChatServices | undefined = chat && {
    ...chat,
    follow: (platform, ref) => (gate.isLeader() ? chat.follow(platform, ref) : notLeader()),
    reviewTaken: (ref, worker) => (gate.isLeader() ? chat.reviewTaken(ref, worker) : notLeader()),
  };
  return {
    ...farm,
    api: leaderOnlyApi(farm.api, gate),
    ...(gatedChat === undefined ? {} : { chat: gatedChat }),
  };
};

/** Chat posts k3sc makes on its own (per-attempt threads, alerts, hand-offs): the leader's only. */
export const leaderOnlySink = (
  sink: EventSink | undefined,
  gate: Pick<LeaderGate, 'isLeader'> | undefined,
): EventSink | undefined =>
  sink === undefined || gate === undefined
    ? sink
    : {
        emit: (e) => {
          if (gate.isLeader()) sink.emit(e);
        },
      };

/**
 * Schedules with side effects (scan, lease expiry, digest) run on the leader only; a follower's
 * tick is skipped. The run is aborted when leadership is lost mid-run.
 */
export const leaderOnlyJobs = (
  jobs: readonly ScheduleJob[],
  gate: LeaderGate,
  logger: Logger,
): ScheduleJob[] =>
  jobs.map((job) => ({
    ...job,
    run: async (signal) => {
      if (!gate.isLeader()) return void logger.debug({ schedule: job.name }, 'not the leader: tick skipped');
      const leading = await gate.whenLeading(new AbortController().signal);
      if (leading === undefined || !gate.isLeader()) return;
      await job.run(AbortSignal.any([signal, leading]));
    },
  }));

/**
 * A transport that holds a connection to the platform (Slack Socket Mode, the Discord gateway):
 * the platform hands each event to one connection, so only the leader may hold one. It connects
 * once this replica leads; when leadership is lost it disconnects and calls `onDeposed` (serve
 * then stops, and Kubernetes restarts the pod as a follower: a connection is opened once per
 * process). A follower answers nothing over it, because it has none.
 */
export const leaderOnlyConnection = (
  inner: Transport,
  gate: LeaderGate,
  logger: Logger,
  onDeposed: () => void,
): Transport => {
  let started = false;
  let term: Promise<void> | undefined;
  const stopping = new AbortController();
  return {
    name: inner.name,
    ...(inner.outbox === undefined ? {} : { outbox: inner.outbox }),
    start: (router, outer) => {
      const signal = AbortSignal.any([outer, stopping.signal]);
      term = (async () => {
        const leading = await gate.whenLeading(signal);
        if (leading === undefined || signal.aborted) return;
        await inner.start(router, signal);
        started = true;
        logger.info({ transport: inner.name }, 'leading: chat connection opened');
        await new Promise<void>((resolve) => {
          if (leading.aborted || signal.aborted) return resolve();
          leading.addEventListener('abort', () => resolve(), { once: true });
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        if (signal.aborted) return;
        logger.warn({ transport: inner.name }, 'no longer leading: chat connection closed; serve stops');
        started = false;
        await inner.stop();
        onDeposed();
      })().catch((err: unknown) => logger.error({ err, transport: inner.name }, 'chat connection failed'));
      return Promise.resolve();
    },
    stop: async () => {
      stopping.abort();
      if (started) {
        started = false;
        await inner.stop();
      }
      await term;
    },
  };
};

/** Which of serve's chat transports hold a connection: Slack in Socket Mode, the Discord gateway. */
const holdsConnection = (t: Transport, config: K3scConfig): boolean =>
  t.name === 'discord-gateway' || (t.name === 'slack' && config.chat.slack?.socketMode === true);

/** serve's chat endpoints with every connection-holding transport opened by the leader only. */
export const withLeaderConnections = <C extends { readonly transports: Transport[] }>(
  chat: C,
  config: K3scConfig,
  gate: LeaderGate | undefined,
  logger: Logger,
  onDeposed: () => void,
): C =>
  gate === undefined
    ? chat
    : {
        ...chat,
        transports: chat.transports.map((t) =>
          holdsConnection(t, config) ? leaderOnlyConnection(t, gate, logger, onDeposed) : t,
        ),
      };
