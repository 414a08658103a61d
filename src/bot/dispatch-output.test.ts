import { describe, expect, it } from 'vitest';
import { findCommand } from './command-table.js';
import { actor, harnessFarm, MemoryAudit, sequentialIds } from './__tests__/harness-farm.js';
import { renderText } from './render/text.js';
import { runCommand } from './run-command.js';

const setup = () => {
  const { h, farm } = harnessFarm();
  const run = (args: Record<string, unknown>) =>
    runCommand(
      findCommand('dispatch')!,
      args,
      { farm, actor: actor('admin'), signal: AbortSignal.timeout(10_000) },
      { logger: h.logger, audit: new MemoryAudit(), where: 'test', newId: sequentialIds('c') },
    );
  return { h, run };
};

describe('dispatch --dry-run -o yaml', () => {
  it("prints exactly the runtime's objects for the next dispatchable issue", async () => {
    const { h, run } = setup();
    h.seedReady();
    Object.assign(h.runtime, { preview: () => Promise.resolve('apiVersion: batch/v1\nkind: Job\n') });
    const reply = await run({ dryRun: true, output: 'yaml' });
    expect(renderText(reply)).toBe('apiVersion: batch/v1\nkind: Job');
    expect(await h.attempts()).toEqual([]);
  });

  it('says so when nothing would be dispatched, or when the runtime creates nothing', async () => {
    const { h, run } = setup();
    expect(renderText(await run({ dryRun: true, output: 'yaml' }))).toContain('nothing would be dispatched');
    const ref = h.seedReady();
    expect(renderText(await run({ dryRun: true, output: 'yaml' }))).toBe(
      `# o-r-${ref.number}-1: the memory runtime creates no objects`,
    );
  });

  it('refuses -o yaml without --dry-run and an unknown format', async () => {
    const { run } = setup();
    expect((await run({ output: 'yaml' })).exitCode).toBe(2);
    expect(JSON.stringify((await run({ dryRun: true, output: 'json' })).data)).toContain(
      '--output must be yaml',
    );
  });
});
