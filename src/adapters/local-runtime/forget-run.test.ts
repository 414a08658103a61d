import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetRun } from './forget-run.js';
import { runPaths } from './run-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3sc-forget-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('forgetRun (scan.task_ttl for local run directories)', () => {
  it('removes the directory of a run that has ended', async () => {
    const paths = runPaths(dir, 'acme-widgets-1-1');
    await mkdir(paths.dir, { recursive: true });
    await writeFile(paths.log, 'done\n');
    const at = '2026-03-01T10:00:00.000Z';
    await writeFile(
      paths.exit,
      JSON.stringify({ exitCode: 0, signal: null, reason: null, startedAt: at, finishedAt: at }),
    );
    expect(await forgetRun(dir, 'acme-widgets-1-1')).toBe(true);
    expect(await exists(paths.dir)).toBe(false);
  });

  it('leaves a run that has not ended, and one it never saw', async () => {
    const paths = runPaths(dir, 'acme-widgets-2-1');
    await mkdir(paths.dir, { recursive: true });
    await writeFile(paths.spec, '{}');
    expect(await forgetRun(dir, 'acme-widgets-2-1')).toBe(false);
    expect(await exists(paths.spec)).toBe(true);
    expect(await forgetRun(dir, 'acme-widgets-3-1')).toBe(false);
    await expect(forgetRun(dir, '../escape')).rejects.toMatchObject({ code: 'bad_input' });
  });
});
