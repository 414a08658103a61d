import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './keyed-queue.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('KeyedQueue', () => {
  it('runs tasks of one key one at a time, in order, even when one fails', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = q.run('k', async () => {
      log.push('a-start');
      await gate;
      log.push('a-end');
      throw new Error('a failed');
    });
    const b = q.run('k', () => {
      log.push('b');
      return Promise.resolve(2);
    });
    await tick();
    expect(log).toEqual(['a-start']);
    release();
    await expect(a).rejects.toThrow('a failed');
    await expect(b).resolves.toBe(2);
    expect(log).toEqual(['a-start', 'a-end', 'b']);
  });

  it('runs different keys in parallel and forgets idle keys', async () => {
    const q = new KeyedQueue();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = q.run('a', () => gate);
    await expect(q.run('b', () => Promise.resolve('b done'))).resolves.toBe('b done');
    release();
    await slow;
    await tick();
    expect(q.size).toBe(0);
  });
});
