import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createCommandRouter } from '../bot/command-router.js';
import type { Farm } from '../bot/farm.js';
import { renderDiscordReply } from '../bot/render/discord-message.js';
import { dashboardReply } from '../bot/render/dashboard-reply.js';
import { renderSlackMessages } from '../bot/render/slack-blocks.js';
import type { Outbound, Transport } from '../bot/transport.js';
import type { Logger } from '../core/ports/logger.js';
import type { StateStore } from '../core/ports/state-store.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { slackTransport } from '../adapters/chat/slack/index.js';
import { createDiscordInteractions } from '../adapters/chat/discord/discord-transport.js';
import { startDiscordFake, type DiscordFake } from '../sandbox/discord-fake/index.js';
import { startSlackFake, type SlackFake } from '../sandbox/slack-fake/index.js';
import { chatNotify, type ChatNotify } from './chat-notify.js';
import { discordState, slackState, transcriptHtml, type TranscriptMessage } from './chat-transcript.js';

const CHANNEL = { slack: 'C0SANDBOX', discord: '700000000000000007' };
const ALERTS = { slack: 'C0ALERTS', discord: '700000000000000008' };
const USER = { slack: 'U0DEMO', discord: '400000000000000004' };

/** The chat config the demo runs with: threads in one channel, alerts in another, a worker for the demo user. */
export const demoChatConfig = (
  config: K3scConfig,
  platform: 'slack' | 'discord',
  apiUrl: string,
): K3scConfig => {
  const threads = { defaultChannel: CHANNEL[platform], channelsByRepo: {} };
  return {
    ...config,
    chat: {
      ...config.chat,
      workers: { [USER[platform]]: 'claude-b' },
      ...(platform === 'slack'
        ? {
            slack: {
              enabled: true,
              socketMode: false,
              apiUrl,
              botTokenEnv: '',
              appTokenEnv: '',
              signingSecretEnv: '',
              channels: [],
              ...threads,
            },
          }
        : { discord: { enabled: true, gateway: false, tokenEnv: '', channels: [], apiUrl, ...threads } }),
    },
    alerts: {
      routes: [
        {
          channel: ALERTS[platform],
          platform,
          events: ['needs_human', 'review_handoff', 'attempt_failed'],
          repos: [],
          families: [],
        },
      ],
    },
    rbac: { ...config.rbac, operators: [...config.rbac.operators, USER[platform]] },
  };
};

export interface DemoChat {
  readonly notify: ChatNotify;
  /** Clicks Take review as the demo user, renders `/k3sc top` and writes the transcript; returns its path. */
  finish(farm: Farm, issue: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * `k3sc demo --chat slack|discord`: the real transport's outbox against the built-in fake, the
 * same notifier serve uses, and an HTML transcript of what the channel shows.
 */
export const startDemoChat = async (opts: {
  platform: 'slack' | 'discord';
  config: K3scConfig;
  store: StateStore;
  farm: Farm;
  logger: Logger;
  now: () => Date;
  outDir: string;
}): Promise<DemoChat> => {
  const { platform, logger } = opts;
  let slack: SlackFake | undefined;
  let discord: DiscordFake | undefined;
  let transport: Transport;
  if (platform === 'slack') {
    slack = await startSlackFake({ signingSecret: 'demo-signing-secret' });
    transport = slackTransport({
      botToken: 'xoxb-demo',
      signingSecret: 'demo-signing-secret',
      apiUrl: slack.apiUrl,
      logger,
    });
  } else {
    discord = await startDiscordFake();
    transport = createDiscordInteractions({
      publicKey: discord.keys.publicKeyHex,
      applicationId: discord.applicationId,
      apiUrl: discord.apiUrl,
      botToken: discord.botToken,
      channels: [],
      logger,
    }).transport;
  }
  const config = demoChatConfig(opts.config, platform, slack?.apiUrl ?? discord?.apiUrl ?? '');
  const notify = chatNotify({
    config,
    transports: [transport],
    store: opts.store,
    farm: opts.farm.api,
    logger,
    now: opts.now,
  });
  if (!notify) throw new Error('demo chat: the transport has no outbox');
  const messages = (): TranscriptMessage[] => {
    if (slack)
      return slack.messages
        .filter((m) => !m.thread_ts)
        .map((m) => ({
          where: `#${m.channel}`,
          states: m.states.map((s) => slackState(s.text, s.blocks)),
          thread: slack.messages.filter((r) => r.thread_ts === m.ts).map((r) => slackState(r.text, r.blocks)),
        }));
    return discord!.messages
      .filter((m) => !discord!.threads.some((t) => t.id === m.channel_id))
      .map((m) => ({
        where: `#${m.channel_id}`,
        states: m.states.map((s) => discordState(s.content, s.embeds, s.components)),
        thread: discord!.messages
          .filter((r) => r.channel_id === m.id)
          .map((r) => ({
            ...discordState(r.content, r.embeds, r.components),
            ...(r.attachments[0] ? { file: r.attachments[0].filename } : {}),
          })),
      }));
  };
  return {
    notify,
    finish: async (farm, issue) => {
      await notify.settled();
      const router = createCommandRouter({
        farm: { ...farm, chat: notify.services },
        logger,
        policy: { admins: [], operators: [USER[platform]], viewers: [], unknown: 'viewer' },
      });
      const answers: Outbound[] = [];
      await router.handle(
        {
          text: `take-review ${issue}`,
          who: { platform, userId: USER[platform], display: 'demo', channelId: CHANNEL[platform] },
          where: `${platform}:${CHANNEL[platform]}`,
          signal: new AbortController().signal,
        },
        { acknowledge: () => undefined, stream: () => undefined, respond: (o) => void answers.push(o) },
      );
      await notify.settled();
      const top = dashboardReply(await farm.api.dashboard({ signal: new AbortController().signal }));
      const topState =
        platform === 'slack'
          ? renderSlackMessages(top).map((m) => slackState(m.text, m.blocks))
          : renderDiscordReply(top).map((m) => discordState(m.content ?? '', m.embeds, m.components));
      const click = answers.map((a) =>
        a.kind === 'reply' ? a.reply.blocks.map((b) => (b.type === 'text' ? b.text : '')).join(' ') : a.text,
      );
      const html = transcriptHtml({
        title: `k3sc on ${platform === 'slack' ? 'Slack' : 'Discord'} (sandbox)`,
        platform,
        sections: [
          { heading: 'Per-attempt thread, alerts and hand-off', messages: messages() },
          {
            heading: 'Take review clicked by the demo user',
            messages: [
              {
                where: 'only you can see this',
                states: [
                  {
                    title: 'take review',
                    paragraphs: click.map((text) => ({ text, pre: false })),
                    buttons: [],
                  },
                ],
                thread: [],
              },
            ],
          },
          {
            heading: '/k3sc top',
            messages: [{ where: `#${CHANNEL[platform]}`, states: topState.slice(0, 1), thread: [] }],
          },
        ],
      });
      await mkdir(opts.outDir, { recursive: true });
      const path = join(opts.outDir, `demo-chat-${platform}.html`);
      await writeFile(path, html);
      return path;
    },
    close: async () => {
      await notify.close();
      await transport.stop().catch(() => undefined);
      await slack?.close();
      await discord?.close();
    },
  };
};
