import { z } from 'zod';
import { issueKey } from '../../core/model/refs.js';
import { familyArg, issueArg, jsonFlag, workerArg } from '../args.js';
import { defineCommand } from '../command-spec.js';
import { textReply } from '../reply.js';

export const pauseCommand = defineCommand({
  name: 'pause',
  summary: 'Stop dispatching new attempts (running ones finish)',
  role: 'admin',
  schema: z.object(jsonFlag),
  run: async (ctx) =>
    textReply('pause', 'dispatch paused; running attempts continue', await ctx.farm.api.pause(ctx)),
});

export const resumeCommand = defineCommand({
  name: 'resume',
  summary: 'Resume dispatching',
  role: 'admin',
  schema: z.object(jsonFlag),
  run: async (ctx) => textReply('resume', 'dispatch resumed', await ctx.farm.api.resume(ctx)),
});

export const scaleCommand = defineCommand({
  name: 'scale',
  summary: 'Show or change the number of agent slots at runtime',
  role: 'admin',
  positionals: [{ name: 'slots', description: 'new maximum (omit to show)' }],
  schema: z.object({
    // Whole numbers written in digits: Number() would read "" as 0 and accept 0x10 or 1e1.
    slots: z
      .preprocess(
        (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
        z
          .number({ error: 'slots must be a whole number like 3 (digits only)' })
          .int('slots must be a whole number')
          .min(0, 'slots must be 0 or more (0 stops new dispatches)'),
      )
      .optional(),
    ...jsonFlag,
  }),
  run: async (ctx, args) => {
    const r = await ctx.farm.api.scale(args.slots, ctx);
    return textReply('scale', `max slots ${r.maxSlots} (configured ${r.configured})`, r);
  },
});

const familyToggle = (enabled: boolean) =>
  defineCommand({
    name: enabled ? 'enable' : 'disable',
    summary: enabled
      ? 'Enable an agent family (also clears an out-of-quota mark)'
      : 'Disable an agent family by hand',
    role: 'operator',
    positionals: [{ name: 'family', description: 'claude, codex, …', required: true }],
    schema: z.object({ family: familyArg, ...jsonFlag }),
    run: async (ctx, args) => {
      const s = await (enabled
        ? ctx.farm.api.enable(args.family, ctx)
        : ctx.farm.api.disable(args.family, ctx));
      return textReply(
        enabled ? 'enable' : 'disable',
        `${args.family} ${enabled ? 'enabled' : 'disabled'}`,
        s,
      );
    },
  });

export const enableCommand = familyToggle(true);
export const disableCommand = familyToggle(false);

export const takeCommand = defineCommand({
  name: 'take',
  summary: 'Reserve the next open PR for a review worker (perf:, fix:, then oldest)',
  role: 'operator',
  options: [{ flags: '--worker <worker>', description: 'the review worker, e.g. claude-b' }],
  examples: ['take --worker claude-b'],
  schema: z.object({ worker: workerArg, ...jsonFlag }),
  run: async (ctx, args) => {
    const taken = await ctx.farm.api.take(args.worker, ctx);
    if (!taken) return textReply('take', 'no open pull request is free to take', { lease: null });
    const { lease, url = '' } = taken;
    const ref = issueKey({ repo: lease.repo, number: lease.pr });
    return textReply('take', `${args.worker} now holds ${ref} until ${lease.expiresAt} ${url}`.trim(), {
      lease,
    });
  },
});

export const releaseCommand = defineCommand({
  name: 'release',
  summary: 'Release a PR lease (by PR or by worker); holder or admin only',
  role: 'operator',
  positionals: [{ name: 'pr', description: 'owner/repo#N of the PR (or use --worker)' }],
  options: [{ flags: '--worker <worker>', description: 'release whatever this worker holds' }],
  schema: z
    .object({ pr: issueArg.optional(), worker: workerArg.optional(), ...jsonFlag })
    .refine((a) => (a.pr === undefined) !== (a.worker === undefined), {
      message: 'give exactly one of: a PR (owner/repo#N) or --worker <worker>',
    }),
  run: async (ctx, args) => {
    const target = args.pr ? { pr: args.pr } : { worker: args.worker ?? '' };
    const lease = await ctx.farm.api.release(target, ctx);
    return textReply(
      'release',
      `released ${issueKey({ repo: lease.repo, number: lease.pr })} (${lease.worker})`,
      { lease },
    );
  },
});

export const nextCommand = defineCommand({
  name: 'next',
  summary: 'The issue that has waited longest for a human',
  role: 'viewer',
  schema: z.object(jsonFlag),
  run: async (ctx) => {
    const issue = await ctx.farm.api.nextForHuman(ctx);
    if (!issue) return textReply('next', 'nothing needs a human right now', { issue: null });
    return textReply(
      'next',
      `${issueKey({ repo: issue.repo, number: issue.number })} ${issue.title} ${issue.url}`,
      { issue },
    );
  },
});
