/**
 * One reader per watched attempt, shared by every page that watches it: the attempt's log lines
 * read once (through the facade's `followLogs`), each client keeping only its own line count.
 */
export interface LiveLog {
  /** Every line read so far, from the first. */
  readonly lines: readonly string[];
  /** True once the attempt ended and its last line was read (or the log could not be read). */
  readonly ended: boolean;
  readonly error?: string;
}

export type FollowLog = (
  issue: string,
  attempt: string,
  signal: AbortSignal,
) => Promise<AsyncIterable<string>>;

interface Entry {
  lines: string[];
  ended: boolean;
  error?: string;
  readonly listeners: Set<() => void>;
  readonly stop: AbortController;
}

export class LogHub {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly follow: FollowLog) {}

  /**
   * Calls `onChange` whenever the attempt's log grows or ends; returns the current view getter
   * and the unsubscribe. The reader stops when its last subscriber leaves.
   */
  subscribe(issue: string, attempt: string, onChange: () => void): { view: () => LiveLog; off: () => void } {
    const key = `${issue} ${attempt}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { lines: [], ended: false, listeners: new Set(), stop: new AbortController() };
      this.entries.set(key, entry);
      void this.read(entry, issue, attempt);
    }
    const e = entry;
    e.listeners.add(onChange);
    return {
      view: () => e,
      off: () => {
        e.listeners.delete(onChange);
        if (e.listeners.size === 0) {
          e.stop.abort();
          if (this.entries.get(key) === e) this.entries.delete(key);
        }
      },
    };
  }

  /** How many attempts are read right now (for tests and the bench). */
  get readers(): number {
    return this.entries.size;
  }

  private async read(e: Entry, issue: string, attempt: string): Promise<void> {
    const notify = (): void => {
      for (const fn of e.listeners) fn();
    };
    try {
      const lines = await this.follow(issue, attempt, e.stop.signal);
      for await (const line of lines) {
        e.lines.push(line);
        notify();
      }
    } catch (err) {
      if (!e.stop.signal.aborted) e.error = err instanceof Error ? err.message : String(err);
    }
    e.ended = true;
    notify();
  }
}
