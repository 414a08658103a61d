/** One `~/.claude/sessions/<pid>.json` file, and whether that process still runs. */
export interface SessionFile {
  readonly pid: number;
  readonly sessionId?: string;
  readonly cwd?: string;
  /** ISO time, when the file says. */
  readonly startedAt?: string;
  readonly alive: boolean;
}

/** One transcript (`~/.claude/projects/<project>/<session>.jsonl`) as text. */
export interface TranscriptText {
  /** The file's name without `.jsonl` (lines that name their own session win). */
  readonly sessionId: string;
  readonly project: string;
  readonly text: string;
}

/** Claude Code's files on this machine, read by an adapter (core never touches the file system). */
export interface LocalSessionSource {
  sessions(signal?: AbortSignal): Promise<SessionFile[]>;
  /** Transcripts changed at or after `sinceMs`, plus every transcript of `sessionIds`. */
  transcripts(
    opts: { readonly sinceMs: number; readonly sessionIds: readonly string[] },
    signal?: AbortSignal,
  ): Promise<TranscriptText[]>;
}
