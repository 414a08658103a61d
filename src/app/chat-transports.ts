import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { consoleTransport } from '../bot/console-chat.js';
import type { CommandRouter, Transport } from '../bot/transport.js';
import { localIdentity, type RbacPolicy } from '../core/api/farm-api.js';
import { discordEndpoint } from './discord-endpoint.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { slackGroupIds, slackSocketTransport, slackTransport } from '../adapters/chat/slack/index.js';
import type { Logger } from '../core/ports/logger.js';
import type { HttpRoutes } from './http-server.js';

/**
 * The `rbac` lists as the router's policy. A chat user no list names is a viewer: reading is
 * open, changing anything needs a role. (The console and the CLI are the machine's own user: admin.)
 */
export const rbacPolicy = (rbac: K3scConfig['rbac']): RbacPolicy => ({
  admins: rbac.admins,
  operators: rbac.operators,
  viewers: rbac.viewers,
  unknown: 'viewer',
  channels: rbac.channels,
});

/** The machine's user name (a container's uid may have no passwd entry: then `console`). */
const osUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'console';
  }
};

/** Every transport `serve` starts; Slack and Discord join this list when they land. */
export const configuredTransports = (opts: {
  console: boolean;
  input?: NodeJS.ReadableStream;
  /** Where readline echoes the prompt (default: stdout). */
  output?: NodeJS.WritableStream;
  write: (text: string) => void;
  /** Transports built with their HTTP routes on serve's server (`chatEndpoints`), started after the console. */
  extra?: readonly Transport[];
}): Transport[] => {
  const list: Transport[] = [];
  if (opts.console)
    list.push(
      consoleTransport({
        rl: createInterface({
          input: opts.input ?? process.stdin,
          output: opts.output ?? process.stdout,
          prompt: 'k3sc> ',
        }),
        write: opts.write,
        who: localIdentity('console', osUser()),
        greeting: 'console chat: type "help" for commands, "top" for the dashboard',
      }),
    );
  list.push(...(opts.extra ?? []));
  return list;
};

/** Starts each transport in order; the returned function stops them in reverse order. */
export const startTransports = async (
  transports: readonly Transport[],
  router: CommandRouter,
  signal: AbortSignal,
): Promise<() => Promise<void>> => {
  const started: Transport[] = [];
  /** Every started transport gets its stop, even when an earlier stop fails. */
  const stopAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const t of [...started].reverse()) await t.stop().catch((err: unknown) => void errors.push(err));
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'transports failed to stop');
  };
  try {
    for (const t of transports) {
      await t.start(router, signal);
      started.push(t);
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  return stopAll;
};

/**
 * Slack's transport: in Socket Mode (the default) with the bot and app tokens, an outbound
 * WebSocket and no route; otherwise over HTTP (`POST /slack/events`) with the bot token and the
 * signing secret. Without the secrets it needs there is none (config load already warned).
 */
const slackEndpoint = (
  config: K3scConfig,
  logger: Logger,
): { routes: HttpRoutes; transports: Transport[] } => {
  const slack = config.chat.slack;
  if (slack?.enabled && slack.socketMode && slack.botToken && slack.appToken)
    return {
      routes: {},
      transports: [
        slackSocketTransport({
          botToken: slack.botToken,
          appToken: slack.appToken,
          apiUrl: slack.apiUrl,
          channels: slack.channels,
          logger: logger.child({ transport: 'slack' }),
        }),
      ],
    };
  if (!slack?.enabled || slack.socketMode || !slack.botToken || !slack.signingSecret)
    return { routes: {}, transports: [] };
  const only = config.repos.length === 1 ? config.repos[0] : undefined;
  const t = slackTransport({
    botToken: slack.botToken,
    signingSecret: slack.signingSecret,
    apiUrl: slack.apiUrl,
    channels: slack.channels,
    logger: logger.child({ transport: 'slack' }),
    // The message shortcut files into the one configured repository (with several, it asks).
    ...(only ? { shortcutRepo: () => `${only.owner}/${only.name}` } : {}),
    // User groups named anywhere in rbac: their members are read through the Web API (cached).
    userGroups: slackGroupIds(
      [config.rbac, ...Object.values(config.rbac.channels)].flatMap((l) => [
        l.admins,
        l.operators,
        l.viewers,
      ]),
    ),
  });
  return { routes: { 'POST /slack/events': t.handle }, transports: [t] };
};

/** Every chat platform served over serve's HTTP server: Slack's events, Discord's interactions. */
export const chatEndpoints = (
  config: K3scConfig,
  logger: Logger,
): { routes: HttpRoutes; transports: Transport[] } => {
  const parts = [
    slackEndpoint(config, logger),
    discordEndpoint(config, logger.child({ transport: 'discord' })),
  ];
  return {
    routes: Object.assign({}, ...parts.map((p) => p.routes)) as HttpRoutes,
    transports: parts.flatMap((p) => p.transports),
  };
};
