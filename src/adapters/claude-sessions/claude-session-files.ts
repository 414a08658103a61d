import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { LocalSessionSource, SessionFile, TranscriptText } from '../../core/ports/local-sessions.js';

export interface ClaudeSessionFilesOptions {
  /** Claude Code's directory: `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
  readonly claudeDir: string;
  /** Whether a process runs (default: signal 0; EPERM means it runs as another user). */
  readonly isAlive?: (pid: number) => boolean;
  /** Transcripts bigger than this are skipped (default 64 MiB), so one huge file cannot stall `sessions`. */
  readonly maxFileBytes?: number;
}

const errnoCode = (err: unknown): unknown =>
  typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;

export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
};

/** Entries of a directory; a missing one is empty (Claude Code never ran here). */
const list = async (dir: string): Promise<string[]> => {
  try {
    return await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return [];
    throw err;
  }
};

const field = (doc: Record<string, unknown>, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = doc[n];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
};

const isoOf = (v: unknown): string | undefined => {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
};

/** Reads `sessions/<pid>.json` and `projects/<project>/<session>.jsonl` under Claude Code's directory. */
export const claudeSessionFiles = (opts: ClaudeSessionFilesOptions): LocalSessionSource => {
  const alive = opts.isAlive ?? processAlive;
  const maxBytes = opts.maxFileBytes ?? 64 * 1024 * 1024;
  return {
    sessions: async () => {
      const dir = join(opts.claudeDir, 'sessions');
      const out: SessionFile[] = [];
      for (const name of await list(dir)) {
        const pid = Number(/^(\d+)\.json$/.exec(name)?.[1]);
        if (!Number.isSafeInteger(pid) || pid <= 0) continue;
        let doc: Record<string, unknown> = {};
        try {
          const parsed: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'));
          if (typeof parsed === 'object' && parsed !== null) doc = parsed as Record<string, unknown>;
        } catch {
          // A file being written or removed: the pid alone is still worth showing.
        }
        const sessionId = field(doc, 'sessionId', 'session_id');
        const cwd = field(doc, 'cwd');
        const startedAt = isoOf(doc['startedAt'] ?? doc['started_at']);
        out.push({
          pid,
          alive: alive(pid),
          ...(sessionId ? { sessionId } : {}),
          ...(cwd ? { cwd } : {}),
          ...(startedAt ? { startedAt } : {}),
        });
      }
      return out;
    },
    transcripts: async ({ sinceMs, sessionIds }) => {
      const root = join(opts.claudeDir, 'projects');
      const wanted = new Set(sessionIds);
      const out: TranscriptText[] = [];
      for (const project of await list(root))
        for (const name of await list(join(root, project))) {
          if (!name.endsWith('.jsonl')) continue;
          const path = join(root, project, name);
          const sessionId = basename(name, '.jsonl');
          const info = await stat(path).catch(() => undefined);
          if (!info?.isFile() || info.size > maxBytes) continue;
          if (info.mtimeMs < sinceMs && !wanted.has(sessionId)) continue;
          const text = await readFile(path, 'utf8').catch(() => '');
          out.push({ sessionId, project, text });
        }
      return out;
    },
  };
};
