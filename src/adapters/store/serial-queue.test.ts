import { describe, expect, it } from 'vitest';
import { createSerialQueue } from './serial-queue.js';

describe('createSerialQueue', () => {
  it('runs tasks one at a time in the order they were queued', async () => {
    const queue = createSerialQueue();
    const events: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const first = queue.run(async () => {
      events.push('first:start');
      await gate;
      events.push('first:end');
    });
    const second = queue.run(() => events.push('second'));
    await Promise.resolve();
    expect(events).toEqual(['first:start']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first:start', 'first:end', 'second']);
  });

  it('rejects only the failing caller and carries on with the next task', async () => {
    const queue = createSerialQueue();
    const failing = queue.run(() => Promise.reject(new Error('disk full')));
    const next = queue.run(() => 'written');
    await expect(failing).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('written');
    await expect(queue.idle()).resolves.toBeUndefined();
  });
});
