import { z } from 'zod';
import { followInThread } from './chat-commands.js';
import { issueKey } from '../../core/model/refs.js';
import { issueArg, jsonFlag, workerOption } from '../args.js';
import { defineCommand } from '../command-spec.js';
import { errorReply, textReply, type Reply } from '../reply.js';

export const dispatchCommand = defineCommand({
  name: 'dispatch',
  summary: 'Scan GitHub now and start attempts for eligible issues (resets the idle back-off)',
  role: 'operator',
  options: [
    { flags: '--dry-run', description: 'show what would be dispatched and why, change nothing' },
    {
      flags: '-o, --output <format>',
      description: 'with --dry-run: yaml prints the objects the runtime would create for the next issue',
    },
  ],
  schema: z.object({
    dryRun: z.boolean().optional(),
    output: z.enum(['yaml'], { error: '--output must be yaml' }).optional(),
    ...jsonFlag,
  }),
  run: async (ctx, args): Promise<Reply> => {
    const dryRun = args.dryRun ?? false;
    if (args.output !== undefined && !dryRun)
      return errorReply('bad_input', '--output yaml needs --dry-run (it shows what would be created)');
    const report = await ctx.farm.api.dispatch({ dryRun, preview: args.output === 'yaml' }, ctx);
    if (args.output === 'yaml') {
      const p = report.preview;
      const text =
        p === undefined
          ? '# nothing would be dispatched now (see `k3sc dispatch --dry-run`)'
          : (p.text ?? `# ${p.attemptName}: the ${ctx.farm.api.runtimeName} runtime creates no objects`);
      return {
        title: 'dispatch (dry run, yaml)',
        blocks: [{ type: 'text', text: text.trimEnd() }],
        data: report,
      };
    }
    const started = new Map(report.started.map((a) => [issueKey({ repo: a.repo, number: a.issue }), a]));
    // What happened, not what was planned: a start can lose the lock or find the issue moved.
    const outcome = (e: (typeof report.entries)[number]): [string, string] => {
      if (!e.decision.dispatch) return [`skip: ${e.decision.reason}`, e.decision.detail ?? ''];
      if (dryRun) return [`would start on ${e.decision.slot}`, ''];
      const a = started.get(issueKey(e.ref));
      return a
        ? [`started on ${a.slot}`, a.name]
        : ['not started', 'another process claimed it, or it changed meanwhile'];
    };
    const rows = report.entries.map((e) => [issueKey(e.ref), e.stage, ...outcome(e)]);
    const failed = report.failedRepos.map((f) => `${f.repo.owner}/${f.repo.name}: ${f.error}`);
    return {
      title: dryRun ? 'dispatch (dry run)' : 'dispatch',
      blocks: [
        {
          type: 'table',
          title: dryRun ? 'Plan (nothing changed)' : `Started ${report.started.length}`,
          columns: ['issue', 'stage', 'decision', 'why'],
          rows,
          empty: 'no ready or needs-review issues',
        },
        ...(failed.length
          ? [{ type: 'text' as const, text: `repositories that could not be read:\n${failed.join('\n')}` }]
          : []),
      ],
      data: report,
    };
  },
});

export const killCommand = defineCommand({
  name: 'kill',
  summary: 'Stop the issue\'s running attempt; needs-human ("killed by you"), or ready with --requeue',
  role: 'operator',
  positionals: [{ name: 'issue', description: 'owner/repo#N', required: true }],
  options: [{ flags: '--requeue', description: 'put the issue back to ready instead of needs-human' }],
  examples: ['kill acme/widgets#12', 'kill acme/widgets#12 --requeue'],
  schema: z.object({ issue: issueArg, requeue: z.boolean().optional(), ...jsonFlag }),
  run: async (ctx, args) => {
    const r = await ctx.farm.api.kill(args.issue, { requeue: args.requeue ?? false }, ctx);
    return textReply(
      'kill',
      `${issueKey(r.ref)}: ${r.stopped ? `stopped ${r.stopped}` : 'nothing was running'}; now ${r.to}`,
      r,
    );
  },
});

const STATES = ['ready', 'needs-review', 'needs-human', 'none'] as const;

export const resetCommand = defineCommand({
  name: 'reset',
  summary: 'Put an issue in a state and clear its attempt history',
  role: 'operator',
  positionals: [{ name: 'issue', description: 'owner/repo#N', required: true }],
  options: [
    { flags: '--to <state>', description: 'ready | needs-review | needs-human | none (default: ready)' },
  ],
  schema: z.object({
    issue: issueArg,
    to: z.enum(STATES, { error: `--to must be one of ${STATES.join(', ')}` }).optional(),
    ...jsonFlag,
  }),
  run: async (ctx, args) => {
    const r = await ctx.farm.api.reset(args.issue, args.to ?? 'ready', ctx);
    return textReply(
      'reset',
      `${issueKey(r.ref)} → ${r.to}; cleared ${r.clearedAttempts} attempt(s)${r.stopped.length ? `, stopped ${r.stopped.join(', ')}` : ''}`,
      r,
    );
  },
});

export const claimCommand = defineCommand({
  name: 'claim',
  summary: 'Claim an unowned issue for a worker by hand (sets its owner label)',
  role: 'operator',
  positionals: [{ name: 'issue', description: 'owner/repo#N', required: true }],
  options: [{ flags: '--owner <worker>', description: 'the worker, e.g. claude-b' }],
  schema: z.object({ issue: issueArg, owner: workerOption('--owner'), ...jsonFlag }),
  run: async (ctx, args) => {
    const r = await ctx.farm.api.claim(args.issue, args.owner, ctx);
    return textReply('claim', `${issueKey(r.ref)} claimed by ${r.owner}`, r);
  },
});

export const logsCommand = defineCommand({
  name: 'logs',
  summary: "Show the latest attempt's log for an issue; -f follows it live",
  role: 'viewer',
  positionals: [{ name: 'issue', description: 'owner/repo#N', required: true }],
  options: [
    { flags: '-f, --follow', description: 'stream new lines until the attempt ends' },
    { flags: '--tail <n>', description: 'only the last n lines' },
    { flags: '--attempt <name>', description: 'a specific attempt instead of the latest' },
  ],
  schema: z.object({
    issue: issueArg,
    follow: z.boolean().optional(),
    tail: z.coerce
      .number({ error: '--tail must be a number of lines' })
      .int('--tail must be a whole number of lines')
      .positive('--tail must be 1 or more')
      .optional(),
    attempt: z.string().optional(),
    ...jsonFlag,
  }),
  run: async (ctx, args): Promise<Reply> => {
    const which = args.attempt === undefined ? {} : { attempt: args.attempt };
    // From Slack/Discord the log streams into the issue's attempt thread, within the send budget.
    const threaded =
      args.follow && args.attempt === undefined ? await followInThread(ctx, args.issue) : undefined;
    if (threaded) return threaded;
    if (args.follow && ctx.stream) {
      const follow = await ctx.farm.api.followLogs(args.issue, which, ctx);
      for await (const line of follow.lines) ctx.stream(line);
      return textReply('logs', `-- end of ${follow.attempt} --`, { attempt: follow.attempt });
    }
    const r = await ctx.farm.api.logs(
      args.issue,
      { ...which, ...(args.tail ? { tail: args.tail } : {}) },
      ctx,
    );
    return {
      title: `logs ${r.attempt}`,
      blocks: [{ type: 'text', text: r.log.trimEnd() || '(no output yet)' }],
      data: { attempt: r.attempt, phase: r.phase, log: r.log },
    };
  },
});
