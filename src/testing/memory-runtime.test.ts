import { describe, expect, it } from 'vitest';
import type { RunSpec } from '../core/ports/agent-runtime.js';
import { FakeClock } from './engine-clock.js';
import { MemoryRuntime } from './memory-runtime.js';

const spec = (name: string): RunSpec => ({
  attemptName: name,
  repo: { owner: 'o', name: 'r' },
  issue: 1,
  kind: 'implement',
  family: 'claude',
  slot: 'claude-a',
  branch: 'issue-1',
  deadlineSeconds: 3600,
});

const collect = async (it: AsyncIterable<string>): Promise<string[]> => {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
};

describe('MemoryRuntime', () => {
  it('starts a run once per name and reports missing for unknown names', async () => {
    const rt = new MemoryRuntime({ clock: new FakeClock() });
    await rt.start(spec('a'));
    await rt.start(spec('a'));
    expect(rt.starts).toBe(1);
    expect(rt.count('start')).toBe(2);
    expect((await rt.status('a')).state).toBe('running');
    expect((await rt.status('b')).state).toBe('missing');
  });

  it('finishes runs as succeeded or failed with exit code, reason and log', async () => {
    const clock = new FakeClock();
    const rt = new MemoryRuntime({ clock });
    await rt.start(spec('ok'));
    await rt.start(spec('bad'));
    clock.advance(5_000);
    rt.finish('ok', { exitCode: 0, log: 'hi\n' });
    rt.finish('bad', { exitCode: 2, log: 'boom\n' });
    expect(await rt.status('ok')).toMatchObject({ state: 'succeeded', exitCode: 0, finishedAt: clock.iso() });
    expect(await rt.status('bad')).toMatchObject({ state: 'failed', exitCode: 2, reason: 'exit code 2' });
    expect(await rt.readLog('bad')).toBe('boom\n');
    expect(() => rt.finish('ok', { exitCode: 0 })).toThrow(/already ended/);
    await rt.start(spec('ok'));
    expect((await rt.status('ok')).state).toBe('succeeded');
  });

  it('stops a running run with reason stopped; stopping ended or unknown runs is a no-op', async () => {
    const rt = new MemoryRuntime();
    await rt.start(spec('a'));
    await rt.stop('a');
    expect(await rt.status('a')).toMatchObject({ state: 'failed', reason: 'stopped' });
    await rt.stop('a');
    await rt.stop('nope');
    expect(rt.running()).toEqual([]);
  });

  it('tails the log and forgets runs', async () => {
    const rt = new MemoryRuntime();
    await rt.start(spec('a'));
    rt.write('a', 'one\ntwo\nthree\n');
    expect(await rt.readLog('a', { tailLines: 2 })).toBe('two\nthree');
    rt.forget('a');
    expect((await rt.status('a')).state).toBe('missing');
    expect(await rt.readLog('a')).toBe('');
  });

  it('follows the log live until the run ends', async () => {
    const rt = new MemoryRuntime();
    await rt.start(spec('a'));
    rt.write('a', 'first\npart');
    const lines = collect(rt.followLog('a', new AbortController().signal));
    await Promise.resolve();
    rt.write('a', 'ial\n');
    rt.finish('a', { exitCode: 0, log: 'last' });
    expect(await lines).toEqual(['first', 'partial', 'last']);
  });

  it('stops following when the signal aborts', async () => {
    const rt = new MemoryRuntime();
    await rt.start(spec('a'));
    rt.write('a', 'x\n');
    const ac = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const l of rt.followLog('a', ac.signal)) {
        seen.push(l);
        ac.abort();
      }
    })();
    await done;
    expect(seen).toEqual(['x']);
    expect(rt.running()).toEqual(['a']);
  });

  it('injects one failure per method', async () => {
    const rt = new MemoryRuntime();
    rt.failNext('start');
    await expect(rt.start(spec('a'))).rejects.toThrow(/injected/);
    await rt.start(spec('a'));
    expect(rt.starts).toBe(1);
  });
});
