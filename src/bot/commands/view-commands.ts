import { z } from 'zod';
import { parseIssueRef } from '../../core/domain/parse-issue-ref.js';
import { attemptsOf } from '../../core/domain/issue-history.js';
import { readLabels } from '../../core/domain/labels.js';
import { usageReport, type UsageRow } from '../../core/domain/usage-report.js';
import { issueKey } from '../../core/model/refs.js';
import { issueArg, jsonFlag } from '../args.js';
import { defineCommand } from '../command-spec.js';
import { dashboardReply } from '../render/dashboard-reply.js';
import type { Reply } from '../reply.js';
import { loadDashboard } from './load-dashboard.js';

export const topCommand = defineCommand({
  name: 'top',
  summary: 'Dashboard: slots, quota, running attempts, queue with reasons, PRs, leases, costs',
  role: 'viewer',
  options: [{ flags: '--once', description: 'print once and exit (the CLI always prints once)' }],
  schema: z.object({ once: z.boolean().optional(), ...jsonFlag }),
  run: async (ctx) => dashboardReply(await loadDashboard(ctx.farm, ctx.signal)),
});

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'One issue in detail (labels, attempts, why it waits), or the farm summary',
  role: 'viewer',
  positionals: [{ name: 'issue', description: 'owner/repo#N (omit for the farm summary)' }],
  schema: z.object({ issue: issueArg.optional(), ...jsonFlag }),
  run: async (ctx, args): Promise<Reply> => {
    const { deps } = ctx.farm;
    if (args.issue === undefined) {
      const d = await loadDashboard(ctx.farm, ctx.signal);
      return { ...dashboardReply(d), blocks: dashboardReply(d).blocks.slice(0, 3), title: 'k3sc status' };
    }
    const ref = parseIssueRef(args.issue, deps.settings.repos);
    await ctx.farm.engine.pass({ dryRun: true, repos: [ref.repo], signal: ctx.signal });
    const issue = deps.cache.issue(ref);
    const attempts = attemptsOf(
      await deps.store.listAttempts({ repo: ref.repo, issue: ref.number }, ctx.signal),
      ref,
    );
    const queued = ctx.farm.engine.queue().find((q) => issueKey(q.ref) === issueKey(ref));
    const labels = issue
      ? readLabels(
          issue.labels,
          deps.settings.families.map((f) => f.name),
        )
      : undefined;
    const why = queued
      ? queued.decision.dispatch
        ? `next pass dispatches to ${queued.decision.slot}`
        : `${queued.decision.reason}: ${queued.decision.detail ?? ''}`
      : 'not in the queue';
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
            ['queue', why],
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
  },
});

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
    const report = usageReport(await ctx.farm.deps.store.listAttempts({}, ctx.signal));
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
