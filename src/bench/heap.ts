import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemorySample {
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface Heap {
  /** True when a real `gc()` is available, so samples exclude garbage. */
  readonly gcAvailable: boolean;
  /** How GC was obtained, or why not (printed with the figures). */
  readonly how: string;
  /** Collects garbage (when possible) and samples the process's memory. */
  sample(): MemorySample;
}

type GcFn = () => void;

/** `--expose-gc` when node was started with it; otherwise V8 lets us switch it on at runtime. */
const findGc = (): { gc?: GcFn; how: string } => {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return { gc: exposed as GcFn, how: 'node --expose-gc' };
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function')
      return { gc: gc as GcFn, how: 'v8.setFlagsFromString("--expose-gc") at start-up' };
  } catch {
    /* fall through */
  }
  return { how: 'no gc() available: heap figures include uncollected garbage' };
};

export const openHeap = (): Heap => {
  const { gc, how } = findGc();
  return {
    gcAvailable: gc !== undefined,
    how,
    sample: () => {
      if (gc) for (let i = 0; i < 3; i++) gc();
      const m = process.memoryUsage();
      return { heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers };
    },
  };
};
