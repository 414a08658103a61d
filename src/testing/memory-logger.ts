import type { Logger } from '../core/ports/logger.js';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly obj: Record<string, unknown>;
}

/** A Logger that keeps every entry (children share the list, with their bindings merged in). */
export class MemoryLogger implements Logger {
  constructor(
    readonly entries: LogEntry[] = [],
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  debug(obj: object, msg = ''): void {
    this.push('debug', obj, msg);
  }

  info(obj: object, msg = ''): void {
    this.push('info', obj, msg);
  }

  warn(obj: object, msg = ''): void {
    this.push('warn', obj, msg);
  }

  error(obj: object, msg = ''): void {
    this.push('error', obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new MemoryLogger(this.entries, { ...this.bindings, ...bindings });
  }

  /** Messages at `level` (all levels when omitted). */
  messages(level?: LogEntry['level']): string[] {
    return this.entries.filter((e) => level === undefined || e.level === level).map((e) => e.msg);
  }

  private push(level: LogEntry['level'], obj: object, msg: string): void {
    this.entries.push({ level, msg, obj: { ...this.bindings, ...(obj as Record<string, unknown>) } });
  }
}
