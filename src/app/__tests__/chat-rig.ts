import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { createCommandRouter } from '../../bot/command-router.js';
import { consoleTransport } from '../../bot/console-chat.js';
import type { ConfirmationGate } from '../../bot/confirm.js';
import type { CommandRouter, Transport } from '../../bot/transport.js';
import type { PlatformIdentity, RbacPolicy } from '../../core/api/farm-api.js';
import { slackTransport, type SlackTransport } from '../../adapters/chat/slack/index.js';
import { createDiscordInteractions } from '../../adapters/chat/discord/discord-transport.js';
import {
  harnessFarm,
  MemoryAudit,
  sequentialIds,
  type HarnessFarm,
} from '../../bot/__tests__/harness-farm.js';
import {
  blockActionBody,
  messageShortcutBody,
  startSlackFake,
  type SlackFake,
  type SlackFakeRecord,
} from '../../sandbox/slack-fake/index.js';
import {
  buttonInteraction,
  postInteraction,
  slashInteraction,
  startDiscordFake,
  type DiscordFake,
  type DiscordFakeRequest,
} from '../../sandbox/discord-fake/index.js';

const SECRET = 'rig-signing-secret';

/**
 * Slack (real Bolt), Discord (HTTP interactions, real @discordjs/rest) and the console, all on the
 * real shared router over an in-memory farm, against the Slack and Discord fakes. `settle()`
 * waits until every command has answered.
 */
export interface ChatRig {
  readonly farm: HarnessFarm;
  readonly audit: MemoryAudit;
  readonly slackFake: SlackFake;
  readonly discordFake: DiscordFake;
  /** A signed `/k3sc <text>`; returns the HTTP status and what reached its response_url. */
  slack(
    text: string,
    user: string,
    channel?: string,
  ): Promise<{ status: number; responses: SlackFakeRecord[] }>;
  /** A click on a button whose value is `command`. */
  slackClick(
    command: string,
    user: string,
    channel?: string,
  ): Promise<{ status: number; responses: SlackFakeRecord[] }>;
  slackShortcut(
    callbackId: string,
    text: string,
    user: string,
    channel?: string,
  ): Promise<{ status: number; responses: SlackFakeRecord[] }>;
  /** `/k3sc <sub> options…`; returns the HTTP answer and the REST calls the command made. */
  discord(
    sub: string,
    options: Record<string, string | boolean>,
    user: { id: string; roles?: string[] },
  ): Promise<{ status: number; ack: unknown; calls: DiscordFakeRequest[] }>;
  discordClick(
    customId: string,
    user: { id: string; roles?: string[]; bot?: boolean },
  ): Promise<{ status: number; ack: unknown; calls: DiscordFakeRequest[] }>;
  /** A line typed at a console transport whose user is `who`. */
  console(text: string, who: PlatformIdentity): Promise<string>;
  settle(): Promise<void>;
  /** Waits only for the commands the router is running (enough when every answer goes through it). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export const startChatRig = async (
  policy: RbacPolicy,
  opts: {
    /** false: answer as soon as the router is done (no quiet-period wait after each request). */
    settleEach?: boolean;
    slackUserGroups?: readonly string[];
    routerFor?: (r: CommandRouter) => CommandRouter;
    shortcutRepo?: (channelId: string) => string | undefined;
    /** The router's confirmation cards (tests give one with hand-fired timers). */
    confirmations?: (farm: HarnessFarm) => ConfirmationGate;
  } = {},
): Promise<ChatRig> => {
  const farm = harnessFarm();
  const audit = new MemoryAudit();
  const inner = createCommandRouter({
    farm: farm.farm,
    logger: farm.h.logger,
    audit,
    policy,
    newId: sequentialIds('cmd'),
    ...(opts.confirmations ? { confirmations: opts.confirmations(farm) } : {}),
  });
  const inFlight = new Set<Promise<void>>();
  const tracked: CommandRouter = {
    handle: (i, r) => {
      const p = inner.handle(i, r);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p)).catch(() => undefined);
      return p;
    },
  };
  const router = opts.routerFor ? opts.routerFor(tracked) : tracked;
  const slackFake = await startSlackFake({ signingSecret: SECRET });
  const discordFake = await startDiscordFake();
  const slack: SlackTransport = slackTransport({
    botToken: 'xoxb-rig',
    signingSecret: SECRET,
    apiUrl: slackFake.apiUrl,
    logger: farm.h.logger,
    retries: 0,
    ...(opts.slackUserGroups ? { userGroups: opts.slackUserGroups } : {}),
    ...(opts.shortcutRepo ? { shortcutRepo: opts.shortcutRepo } : {}),
  });
  const discord = createDiscordInteractions({
    publicKey: discordFake.keys.publicKeyHex,
    applicationId: discordFake.applicationId,
    apiUrl: discordFake.apiUrl,
    channels: [],
    logger: farm.h.logger,
  });
  const server: Server = createServer((q, s) => {
    if (q.url === '/slack/events') void slack.handle(q, s);
    else void discord.handler(q, s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stopper = new AbortController();
  const transports: Transport[] = [slack, discord.transport];
  for (const t of transports) await t.start(router, stopper.signal);

  const settle = async (): Promise<void> => {
    for (let quiet = 0, last = -1; quiet < 3;) {
      await Promise.allSettled([...inFlight]);
      await new Promise((r) => setTimeout(r, 15));
      const n = slackFake.records.length + discordFake.requests.length;
      quiet = n === last && inFlight.size === 0 ? quiet + 1 : 0;
      last = n;
    }
  };
  const drainNow = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };
  const slackPost = async (body: string, id: string) => {
    const res = await fetch(`${base}/slack/events`, { method: 'POST', body, headers: slackFake.sign(body) });
    await res.text();
    await (opts.settleEach === false ? drainNow() : settle());
    return { status: res.status, responses: slackFake.responses().filter((r) => r.method === id) };
  };
  const responseUrl = (): { url: string; id: string } => {
    const url = slackFake.responseUrl();
    return { url, id: url.split('/response/')[1] ?? '' };
  };
  const discordPost = async (body: Record<string, unknown>) => {
    const before = discordFake.requests.length;
    const { status, json } = await postInteraction(`${base}/discord/interactions`, discordFake.keys, body);
    await (opts.settleEach === false ? drainNow() : settle());
    return { status, ack: json, calls: discordFake.requests.slice(before) };
  };
  return {
    farm,
    audit,
    slackFake,
    discordFake,
    slack: (text, user, channel = 'C0FAKE') => {
      const r = responseUrl();
      const cmd = slackFake.slashCommand(text, {
        user_id: user,
        user_name: user.toLowerCase(),
        channel_id: channel,
        response_url: r.url,
      });
      return slackPost(cmd.body, r.id);
    },
    slackClick: (command, user, channel = 'C0FAKE') => {
      const r = responseUrl();
      const id = command.split(' ')[0] ?? 'x';
      return slackPost(
        blockActionBody({
          actionId: `k3sc:${id}`,
          value: command,
          responseUrl: r.url,
          userId: user,
          userName: user.toLowerCase(),
          channelId: channel,
        }),
        r.id,
      );
    },
    slackShortcut: (callbackId, text, user, channel = 'C0FAKE') => {
      const r = responseUrl();
      return slackPost(
        messageShortcutBody({
          callbackId,
          text,
          responseUrl: r.url,
          userId: user,
          userName: user.toLowerCase(),
          channelId: channel,
        }),
        r.id,
      );
    },
    discord: (sub, options, user) =>
      discordPost(slashInteraction({ sub, options, userId: user.id, roles: user.roles ?? [] })),
    discordClick: (customId, user) =>
      discordPost(
        buttonInteraction({
          customId,
          userId: user.id,
          roles: user.roles ?? [],
          ...(user.bot ? { bot: true } : {}),
        }),
      ),
    console: async (text, who) => {
      const input = new PassThrough();
      const out: string[] = [];
      const rl = createInterface({ input, output: new PassThrough(), terminal: false });
      const t = consoleTransport({ rl, write: (s) => void out.push(s), who });
      await t.start(router, stopper.signal);
      input.end(`${text}\n`);
      await t.closed;
      return out.join('');
    },
    settle,
    drain: drainNow,
    close: async () => {
      stopper.abort();
      for (const t of [...transports].reverse()) await t.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await slackFake.close();
      await discordFake.close();
    },
  };
};
