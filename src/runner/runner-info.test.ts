import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RUNNER_USAGE, runnerInfo } from './runner-info.js';

describe('runner --help / --version', () => {
  it('prints the usage for --help and -h', async () => {
    expect(await runnerInfo(['--help'])).toBe(RUNNER_USAGE);
    expect(await runnerInfo(['-h'])).toContain('--spec <file>');
  });

  it('prints the package version for --version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(await runnerInfo(['--version'])).toBe(`k3sc-runner ${pkg.version} (node ${process.version})\n`);
  });

  it('leaves a normal invocation to the runner', async () => {
    expect(await runnerInfo(['--spec', '/tmp/spec.json'])).toBeUndefined();
    expect(await runnerInfo([])).toBeUndefined();
  });
});
