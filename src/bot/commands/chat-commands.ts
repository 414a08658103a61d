import { z } from 'zod';
import { issueKey, type IssueRef } from '../../core/model/refs.js';
import { K3scError } from '../../core/errors.js';
import { issueArg, jsonFlag, workerArg } from '../args.js';
import { defineCommand } from '../command-spec.js';
import type { CommandContext } from '../farm.js';
import { textReply, type Reply } from '../reply.js';
import type { ChatServices } from '../transport.js';

/** The chat platform a command came from (`slack:U1` → slack), with the chat services; else a clear error. */
const chatOf = (ctx: CommandContext, what: string): { chat: ChatServices; platform: string } => {
  const platform = ctx.actor.id.split(':')[0] ?? '';
  const chat = ctx.farm.chat;
  if (!chat || (platform !== 'slack' && platform !== 'discord'))
    throw new K3scError(
      'bad_input',
      `${what} works in Slack or Discord threads (k3sc serve with chat); here use logs <issue> --follow`,
    );
  return { chat, platform };
};

/** `logs <issue> --follow` from Slack/Discord streams into the thread; elsewhere undefined (stream as before). */
export const followInThread = async (ctx: CommandContext, issue: string): Promise<Reply | undefined> => {
  const platform = ctx.actor.id.split(':')[0] ?? '';
  if (!ctx.farm.chat || (platform !== 'slack' && platform !== 'discord')) return undefined;
  const ref = ctx.farm.api.resolveIssue(issue);
  const said = await ctx.farm.chat.follow(platform, ref);
  return textReply('logs', said, { issue: issueKey(ref), following: said.startsWith('following') });
};

export const followCommand = defineCommand({
  name: 'follow',
  summary: "Stream an issue's live log into its attempt thread (Slack/Discord)",
  role: 'viewer',
  positionals: [{ name: 'issue', description: 'owner/repo#N', required: true }],
  examples: ['follow acme/widgets#12'],
  schema: z.object({ issue: issueArg, ...jsonFlag }),
  run: async (ctx, args) => {
    const { chat, platform } = chatOf(ctx, 'follow');
    const ref = ctx.farm.api.resolveIssue(args.issue);
    const said = await chat.follow(platform, ref);
    return textReply('follow', said, { issue: issueKey(ref), following: said.startsWith('following') });
  },
});

export const unfollowCommand = defineCommand({
  name: 'unfollow',
  summary: "Stop streaming an issue's log into its thread (the Stop button)",
  role: 'viewer',
  positionals: [{ name: 'issue', description: 'owner/repo#N', required: true }],
  schema: z.object({ issue: issueArg, ...jsonFlag }),
  run: (ctx, args) => {
    const { chat, platform } = chatOf(ctx, 'unfollow');
    const ref = ctx.farm.api.resolveIssue(args.issue);
    const stopped = chat.unfollow(platform, ref);
    const text = stopped ? `stopped following ${issueKey(ref)}` : `${issueKey(ref)} was not being followed`;
    return Promise.resolve(textReply('unfollow', text, { issue: issueKey(ref), stopped }));
  },
});

const askWorker = (issue: string, choices: readonly string[]): Reply => ({
  title: 'take review',
  blocks: [
    {
      type: 'text',
      text: `Which worker takes the review of ${issue}? (Set chat.workers to map your user id to one.)`,
    },
    ...(choices.length > 0
      ? [
          {
            type: 'actions' as const,
            buttons: choices.map((w) => ({
              id: `take-${w}`,
              label: w,
              command: `take-review ${issue} --worker ${w}`,
            })),
          },
        ]
      : []),
  ],
  data: { issue, worker: null, choices },
});

export const takeReviewCommand = defineCommand({
  name: 'take-review',
  summary: "Take the review of an issue's PR for your worker (the Take review button)",
  role: 'operator',
  positionals: [{ name: 'issue', description: 'owner/repo#N of the issue', required: true }],
  options: [
    { flags: '--worker <worker>', description: 'the review worker (default: yours in chat.workers)' },
  ],
  examples: ['take-review acme/widgets#12 --worker claude-b'],
  schema: z.object({ issue: issueArg, worker: workerArg.optional(), ...jsonFlag }),
  run: async (ctx, args) => {
    const ref = ctx.farm.api.resolveIssue(args.issue);
    const key = issueKey(ref);
    const platform = ctx.actor.id.split(':')[0] ?? '';
    const chat = ctx.farm.chat;
    const worker = args.worker ?? chat?.workerFor(ctx.actor.id);
    if (worker === undefined) return askWorker(key, chat?.workerChoices() ?? []);
    const pr: IssueRef | undefined = chat ? await chat.prOf(platform, ref) : undefined;
    const taken = await ctx.farm.api.take(worker, ctx, pr ? { pr } : undefined);
    if (!taken)
      return textReply(
        'take review',
        `no free pull request to review for ${key}${pr ? ` (${issueKey(pr)})` : ''}`,
        {
          lease: null,
        },
      );
    await chat?.reviewTaken(ref, worker);
    const held = issueKey({ repo: taken.lease.repo, number: taken.lease.pr });
    return textReply(
      'take review',
      `${worker} now holds ${held} until ${taken.lease.expiresAt} ${taken.url ?? ''}`.trim(),
      {
        lease: taken.lease,
      },
    );
  },
});
