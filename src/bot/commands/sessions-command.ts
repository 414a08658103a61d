import { z } from 'zod';
import type { LocalSessionsReport } from '../../core/api/farm-api.js';
import { jsonFlag } from '../args.js';
import { defineCommand } from '../command-spec.js';
import type { Block, Reply } from '../reply.js';

const usd = (n: number): string => `$${n.toFixed(2)}`;
const tokens = (n: number): string =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${Math.round(n / 1000)}k` : String(n);

export const sessionsReply = (r: LocalSessionsReport): Reply => {
  const b = r.activeBlock;
  const blockBlock: Block = b
    ? {
        type: 'fields',
        fields: [
          ['5-hour block', `${b.start} → ${b.end} (${b.projection.remainingMinutes} min left)`],
          ['cost so far', `${usd(b.costUsd)} over ${b.messages} messages`],
          ['burn rate', `${usd(b.projection.burnRatePerMinute * 60)}/h`],
          ['projected', `${usd(b.projection.projectedCostUsd)} by the end of the block`],
          ...(b.unpriced.length ? ([['unpriced models', b.unpriced.join(', ')]] as [string, string][]) : []),
        ],
      }
    : { type: 'text', text: 'no 5-hour billing block is open (no Claude messages in the last 5 hours)' };
  return {
    title: 'local Claude Code sessions',
    blocks: [
      {
        type: 'table',
        title: 'Running sessions',
        columns: ['pid', 'session', 'cwd', 'tokens in/out', 'cache r/w', 'cost'],
        rows: r.sessions.map((s) => [
          String(s.pid),
          s.sessionId ?? '-',
          s.cwd ?? '-',
          s.usage ? `${tokens(s.usage.inputTokens)}/${tokens(s.usage.outputTokens)}` : '-',
          s.usage ? `${tokens(s.usage.cacheReadTokens)}/${tokens(s.usage.cacheWriteTokens)}` : '-',
          s.usage ? usd(s.usage.costUsd) : '-',
        ]),
        empty: 'no Claude Code process is running on this machine',
      },
      blockBlock,
    ],
    data: r,
  };
};

export const sessionsCommand = defineCommand({
  name: 'sessions',
  summary: 'Claude Code sessions running on this machine: tokens, cost, the 5-hour billing block',
  role: 'viewer',
  options: [{ flags: '--once', description: 'print once and exit (the CLI always prints once)' }],
  schema: z.object({ once: z.boolean().optional(), ...jsonFlag }),
  run: async (ctx) => sessionsReply(await ctx.farm.api.sessions(ctx)),
});
