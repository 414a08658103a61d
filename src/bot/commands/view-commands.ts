import { z } from 'zod';
import type { IssueStatus, UsageRow } from '../../core/api/farm-api.js';
import { issueKey } from '../../core/model/refs.js';
import { issueArg, jsonFlag } from '../args.js';
import { defineCommand } from '../command-spec.js';
import { dashboardReply } from '../render/dashboard-reply.js';
import type { Reply } from '../reply.js';

export const topCommand = defineCommand({
  name: 'top',
  summary: 'Dashboard: slots, quota, running attempts, queue with reasons, PRs, leases, costs',
  role: 'viewer',
  options: [
    { flags: '--once', description: 'print once and exit (the CLI always prints once)' },
    {
      flags: '--page <n>',
      description: 'which page of long tables to show (default 1; --json has everything)',
    },
  ],
  examples: ['top --page 2'],
  schema: z.object({
    once: z.boolean().optional(),
    page: z
      .preprocess(
        (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
        z.number({ error: '--page must be a page number like 2' }).int().min(1, '--page starts at 1'),
      )
      .optional(),
    ...jsonFlag,
  }),
  run: async (ctx, args) => dashboardReply(await ctx.farm.api.dashboard(ctx), { page: args.page ?? 1 }),
});

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'One issue in detail (labels, attempts, why it waits), or the farm summary',
  role: 'viewer',
  positionals: [{ name: 'issue', description: 'owner/repo#N (omit for the farm summary)' }],
  schema: z.object({ issue: issueArg.optional(), ...jsonFlag }),
  run: async (ctx, args): Promise<Reply> => {
    if (args.issue === undefined) {
      const d = dashboardReply(await ctx.farm.api.dashboard(ctx));
      return { ...d, blocks: d.blocks.slice(0, 3), title: 'k3sc status' };
    }
    return issueStatusReply(await ctx.farm.api.issueStatus(args.issue, ctx));
  },
});

const whyQueued = (queued: IssueStatus['queued']): string => {
  if (!queued) return 'not in the queue';
  const d = queued.decision;
  return d.dispatch ? `next pass dispatches to ${d.slot}` : `${d.reason}: ${d.detail ?? ''}`;
};

const issueStatusReply = (s: IssueStatus): Reply => {
  const { ref, issue, labels, attempts, queued } = s;
  return {
    title: `status ${issueKey(ref)}`,
    blocks: [
      {
        type: 'fields',
        fields: [
          ['issue', `${issueKey(ref)} ${issue?.title ?? '(not open or not found)'}`],
          [
            'stage',
            labels
              ? `${labels.stage}${labels.owners.length ? ` (${labels.owners.join(',')})` : ''}`
              : 'unknown',
          ],
          ['labels', issue?.labels.join(', ') || '-'],
          ['queue', whyQueued(queued)],
        ],
      },
      {
        type: 'table',
        title: 'Attempts',
        columns: ['attempt', 'kind', 'slot', 'phase', 'reason'],
        rows: attempts.map((a) => [a.name, a.kind, a.slot, a.phase, a.reason ?? '']),
        empty: 'no attempts',
      },
    ],
    data: { issue: issue ?? null, stage: labels?.stage ?? null, attempts, queue: queued ?? null },
  };
};

const usageRows = (rows: readonly UsageRow[]): string[][] =>
  rows.map((r) => [
    r.key,
    String(r.attempts),
    String(r.inputTokens),
    String(r.outputTokens),
    `$${r.costUsd.toFixed(2)}`,
  ]);

export const usageCommand = defineCommand({
  name: 'usage',
  summary: 'Tokens and cost by day, week, model, repository and agent',
  role: 'viewer',
  options: [{ flags: '--by <group>', description: 'day | week | model | repo | agent (default: day)' }],
  schema: z.object({
    by: z
      .enum(['day', 'week', 'model', 'repo', 'agent'], {
        error: '--by must be one of day, week, model, repo, agent',
      })
      .optional(),
    ...jsonFlag,
  }),
  run: async (ctx, args): Promise<Reply> => {
    const report = await ctx.farm.api.usage(ctx);
    const by = args.by ?? 'day';
    const rows = {
      day: report.byDay,
      week: report.byWeek,
      model: report.byModel,
      repo: report.byRepo,
      agent: report.byAgent,
    }[by];
    return {
      title: 'usage',
      blocks: [
        {
          type: 'table',
          title: `Usage by ${by}`,
          columns: [by, 'attempts', 'input', 'output', 'cost'],
          rows: usageRows([...rows, report.total]),
          empty: 'no usage recorded',
        },
      ],
      data: report,
    };
  },
});
