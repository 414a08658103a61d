import { K3scError } from '../core/errors.js';

/** One call into an in-memory port, in the order it happened (shared across ports by the harness). */
export interface CallEntry {
  readonly port: string;
  readonly method: string;
  /** What the call was about: an issue key (`o/r#1`) or an attempt name. */
  readonly target: string;
  /** Human-readable arguments, e.g. `+claude-a -ready`. */
  readonly detail: string;
  /** True when an injected failure made the call throw. */
  readonly failed: boolean;
}

export type CallListener = (entry: CallEntry) => void;

/**
 * Counts calls per method, injects one-shot failures, honours AbortSignal, and reports each
 * call to an optional listener so tests can assert ordering across ports.
 */
export class CallRecorder<M extends string> {
  private readonly counts = new Map<M, number>();
  private readonly failures = new Map<M, Error>();

  constructor(
    private readonly port: string,
    private readonly listener?: CallListener,
  ) {}

  /** Records the call, then runs `fn`; a throw becomes a rejected promise, as from a real port. */
  wrap<T>(
    method: M,
    target: string,
    detail: string,
    signal: AbortSignal | undefined,
    fn: () => T,
  ): Promise<T> {
    try {
      this.enter(method, target, detail, signal);
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Called at the start of every port method; throws when aborted or a failure was injected. */
  enter(method: M, target: string, detail = '', signal?: AbortSignal): void {
    signal?.throwIfAborted();
    this.counts.set(method, this.count(method) + 1);
    const failure = this.failures.get(method);
    if (failure) this.failures.delete(method);
    this.listener?.({ port: this.port, method, target, detail, failed: failure !== undefined });
    if (failure) throw failure;
  }

  count(method: M): number {
    return this.counts.get(method) ?? 0;
  }

  /** The next call of `method` throws `error` (default: an `unavailable` K3scError); later calls succeed. */
  failNext(method: M, error?: Error): void {
    this.failures.set(
      method,
      error ?? new K3scError('unavailable', `injected failure in ${this.port}.${method}`),
    );
  }

  resetCounts(): void {
    this.counts.clear();
  }
}
