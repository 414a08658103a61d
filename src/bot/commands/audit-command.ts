import { z } from 'zod';
import { AUDIT_RETENTION_DAYS, type AuditEntry } from '../../core/api/farm-api.js';
import { jsonFlag } from '../args.js';
import { defineCommand } from '../command-spec.js';
import type { Reply } from '../reply.js';

const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 };
const DEFAULT_SINCE = '24h';

/** `30m`, `24h`, `7d`, `2w` → milliseconds; undefined for anything else. */
export const durationMs = (text: string): number | undefined => {
  const m = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  return m ? Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0) : undefined;
};

/** `--since`: a duration back from now, or a time (ISO 8601, e.g. 2026-12-01 or 2026-12-01T10:00Z). */
export const sinceArg = z
  .string()
  .refine(
    (s) => durationMs(s) !== undefined || (/^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s))),
    {
      message: '--since takes a duration like 30m, 24h, 7d or a time like 2026-12-01T10:00Z',
    },
  );

/** The time `--since` names: `now` minus a duration, or the time itself. */
export const sinceDate = (since: string, now: Date): Date => {
  const ms = durationMs(since);
  return ms === undefined ? new Date(Date.parse(since)) : new Date(now.getTime() - ms);
};

const argsText = (args: Record<string, unknown>): string =>
  Object.entries(args)
    .filter(([, v]) => v !== undefined && v !== null && v !== false)
    .map(([k, v]) => (v === true ? `--${k}` : `${k}=${String(v as string)}`))
    .join(' ');

export const auditReply = (entries: readonly AuditEntry[], since: Date): Reply => ({
  title: 'audit',
  blocks: [
    {
      type: 'table',
      title: `Audit since ${since.toISOString()}`,
      columns: ['at', 'cid', 'who', 'where', 'command', 'result'],
      rows: entries.map((e) => [
        e.at,
        e.cid,
        e.actor,
        e.where,
        `${e.command} ${argsText(e.args)}`.trim(),
        e.result,
      ]),
      empty: 'no commands recorded in that time',
    },
  ],
  data: { since: since.toISOString(), entries },
});

export const auditCommand = defineCommand({
  name: 'audit',
  summary: `Who ran which command or clicked which button, where, and the result (kept ${AUDIT_RETENTION_DAYS} days)`,
  role: 'operator',
  options: [
    {
      flags: '--since <when>',
      description: `a duration back from now (30m, 24h, 7d) or a time (2026-12-01T10:00Z); default ${DEFAULT_SINCE}`,
    },
  ],
  examples: ['audit --since 7d', 'audit --since 2026-12-01 --json'],
  schema: z.object({ since: sinceArg.optional(), ...jsonFlag }),
  run: async (ctx, args) => {
    const since = sinceDate(args.since ?? DEFAULT_SINCE, ctx.farm.api.now());
    return auditReply(await ctx.farm.api.auditLog({ since }, ctx), since);
  },
});
