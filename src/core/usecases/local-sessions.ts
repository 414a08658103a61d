import {
  billingBlocks,
  projectBlock,
  type BillingBlock,
  type BlockProjection,
} from '../domain/billing-blocks.js';
import {
  dedupeEntries,
  parseTranscriptLine,
  sumEntries,
  type UsageEntry,
  type UsageSum,
} from '../domain/claude-transcripts.js';
import type { Clock } from '../ports/clock.js';
import type { LocalSessionSource } from '../ports/local-sessions.js';

export interface LocalSession {
  readonly pid: number;
  readonly sessionId: string | null;
  readonly cwd: string | null;
  readonly startedAt: string | null;
  /** Tokens and cost of its transcript; null when no transcript was found. */
  readonly usage: UsageSum | null;
}

export interface LocalSessionsReport {
  readonly at: string;
  /** Running Claude Code processes (a session file whose pid is alive). */
  readonly sessions: readonly LocalSession[];
  readonly activeBlock: (BillingBlock & { readonly projection: BlockProjection }) | null;
}

/** How far back transcripts are read for the billing blocks (a chain longer than this may be cut differently). */
const LOOKBACK_MS = 24 * 3_600_000;

const entriesOf = (texts: readonly { sessionId: string; text: string }[]): UsageEntry[] => {
  const out: UsageEntry[] = [];
  for (const t of texts)
    for (const line of t.text.split('\n')) {
      const e = parseTranscriptLine(line, t.sessionId);
      if (e) out.push(e);
    }
  return dedupeEntries(out);
};

/** `sessions`: running Claude Code sessions with their tokens and cost, and the 5-hour block now open. */
export const localSessionsReport = async (
  deps: { readonly source: LocalSessionSource; readonly clock: Clock },
  signal?: AbortSignal,
): Promise<LocalSessionsReport> => {
  const now = deps.clock.now();
  const running = (await deps.source.sessions(signal)).filter((s) => s.alive).sort((a, b) => a.pid - b.pid);
  const ids = running.flatMap((s) => (s.sessionId ? [s.sessionId] : []));
  const texts = await deps.source.transcripts(
    { sinceMs: now.getTime() - LOOKBACK_MS, sessionIds: ids },
    signal,
  );
  const entries = entriesOf(texts);
  const sessions = running.map((s): LocalSession => {
    const mine = s.sessionId ? entries.filter((e) => e.sessionId === s.sessionId) : [];
    return {
      pid: s.pid,
      sessionId: s.sessionId ?? null,
      cwd: s.cwd ?? null,
      startedAt: s.startedAt ?? null,
      usage: mine.length ? sumEntries(mine) : null,
    };
  });
  const recent = entries.filter((e) => e.at >= now.getTime() - LOOKBACK_MS);
  const active = billingBlocks(recent, now).find((b) => b.active);
  return {
    at: now.toISOString(),
    sessions,
    activeBlock: active ? { ...active, projection: projectBlock(active, recent, now) } : null,
  };
};
