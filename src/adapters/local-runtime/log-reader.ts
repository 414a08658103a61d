import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { LineSplitter } from './line-splitter.js';

const CHUNK = 64 * 1024;

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** The whole file, or its last `tailLines` lines (read backwards, so big logs stay cheap). */
export const readLogFile = async (path: string, tailLines?: number): Promise<string> => {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if (isMissing(err)) return '';
    throw err;
  }
  try {
    const { size } = await handle.stat();
    let start = size;
    let text = '';
    while (start > 0) {
      const length = Math.min(CHUNK, start);
      start -= length;
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, start);
      text = buf.toString('latin1') + text;
      if (tailLines !== undefined && text.split('\n').length > tailLines + 1) break;
    }
    const lines = Buffer.from(text, 'latin1').toString('utf8').replace(/\n$/, '').split('\n');
    if (text === '') return '';
    return (tailLines === undefined ? lines : lines.slice(-Math.max(0, tailLines))).join('\n');
  } finally {
    await handle.close();
  }
};

/**
 * Yields the file's lines from the start, then new lines as they are appended, until
 * `ended()` says the writer is done (after one last read) or the signal aborts. Polls.
 */
export async function* followLogFile(
  path: string,
  ended: () => Promise<boolean>,
  signal: AbortSignal,
  pollMs: number,
): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  let offset = 0;
  const buf = Buffer.alloc(CHUNK);
  for (;;) {
    if (signal.aborted) return;
    const finished = await ended();
    let read = 0;
    try {
      const handle = await open(path, 'r');
      try {
        for (;;) {
          const { bytesRead } = await handle.read(buf, 0, CHUNK, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          read += bytesRead;
          for (const line of splitter.push(buf.subarray(0, bytesRead))) {
            // A follower that stopped listening gets nothing more, not the rest of a 64 KB chunk.
            if (signal.aborted) return;
            yield line;
          }
        }
      } finally {
        await handle.close();
      }
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
    if (finished) {
      for (const line of splitter.flush()) {
        if (signal.aborted) return;
        yield line;
      }
      return;
    }
    if (read === 0) {
      try {
        await sleep(pollMs, undefined, { signal });
      } catch {
        return;
      }
    }
  }
}
