/** Where `followLines` reads from: the text so far, whether it ended, and change notifications. */
export interface FollowSource {
  read(): { text: string; ended: boolean };
  /** Calls `fn` on every change; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void;
  readonly signal: AbortSignal;
  /** Runs when iteration begins (call counting, abort check). */
  readonly onStart?: () => void;
}

const nextChange = (src: FollowSource): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      off();
      src.signal.removeEventListener('abort', done);
      resolve();
    };
    const off = src.subscribe(done);
    src.signal.addEventListener('abort', done, { once: true });
  });

/**
 * Yields complete lines as they appear, then the unterminated tail once the source ends.
 * Stops quietly when the signal aborts.
 */
export async function* followLines(src: FollowSource): AsyncGenerator<string> {
  src.onStart?.();
  let emitted = 0;
  for (;;) {
    if (src.signal.aborted) return;
    const { text, ended } = src.read();
    const parts = text.split('\n');
    const complete = parts.slice(0, -1);
    if (emitted < complete.length) {
      // One line per turn, then read again: the text may have moved while we were suspended.
      yield complete[emitted++] ?? '';
      continue;
    }
    if (ended) {
      const tail = parts.at(-1) ?? '';
      if (tail !== '') yield tail;
      return;
    }
    await nextChange(src);
  }
}
