import { readFile } from 'node:fs/promises';

export const RUNNER_USAGE = [
  'usage: k3sc-runner --spec <file>',
  '',
  'Runs one agent attempt as the spec file describes (src/core/protocol/runner-spec.ts);',
  'the GitHub token comes from the environment (GITHUB_TOKEN or GH_TOKEN).',
  '',
  '  --spec <file>  the runner spec (JSON)',
  '  --version      print the version and exit',
  '  --help         print this text and exit',
  '',
].join('\n');

/** k3sc's version, from the package.json two folders above this file (dist/runner/ or src/runner/). */
export const runnerVersion = async (): Promise<string> => {
  try {
    const pkg: unknown = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    const v = typeof pkg === 'object' && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof v === 'string' ? v : 'unknown';
  } catch {
    return 'unknown';
  }
};

/** The text `--help` or `--version` prints, or undefined when the runner should run an attempt. */
export const runnerInfo = async (argv: readonly string[]): Promise<string | undefined> => {
  if (argv.includes('--help') || argv.includes('-h')) return RUNNER_USAGE;
  if (argv.includes('--version')) return `k3sc-runner ${await runnerVersion()} (node ${process.version})\n`;
  return undefined;
};
