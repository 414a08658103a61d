#!/usr/bin/env node
/**
 * The agent runner: `node dist/runner/main.js --spec <file>`. Everything comes from the spec
 * file and the environment (GITHUB_TOKEN), never from k3sc's config, so the same program
 * runs as a local child process and inside a Kubernetes pod.
 */
import { readFile } from 'node:fs/promises';
import { createOctokitGitHub } from './octokit-github.js';
import { makeRedactor, secretValuesOf } from '../core/secrets/index.js';
import { formatResultLine } from '../core/protocol/report-lines.js';
import { runAttempt } from './run-attempt.js';
import { parseRunnerSpec, type RunnerSpec } from '../core/protocol/runner-spec.js';
import { runnerInfo } from './runner-info.js';
import { materializeCodexAuth } from './codex-auth.js';

/** Every printed line: runAttempt redacts its own already; this also covers a bad spec or a crash. */
const redact = makeRedactor(secretValuesOf(process.env));
const writeLine = (line: string): void => {
  process.stdout.write(`${redact(line)}\n`);
};

const crashed = (err: unknown): void => {
  try {
    writeLine(
      formatResultLine({
        ok: false,
        reason: `runner crashed: ${err instanceof Error ? err.message : String(err)}`,
      }),
    );
  } catch {
    // Nobody is listening any more.
  }
};

// Node would print an uncaught error's message raw on stderr, which reaches the same log:
// report it as a result line instead, so no text of the agent's lands at column 0.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    crashed(err);
    process.exit(1);
  });
}

const specPathFrom = (argv: readonly string[]): string | undefined => {
  const i = argv.indexOf('--spec');
  const inline = argv.find((a) => a.startsWith('--spec='));
  return i >= 0 ? argv[i + 1] : inline?.slice('--spec='.length);
};

/** `--spec-env NAME`: the spec's JSON is in that variable (a Kubernetes Job passes it so). */
const specFromEnv = (argv: readonly string[]): RunnerSpec | undefined => {
  const i = argv.indexOf('--spec-env');
  if (i < 0) return undefined;
  const name = argv[i + 1] ?? '';
  const raw = process.env[name];
  if (raw === undefined || raw === '')
    throw new Error(`the runner spec variable ${name || '(none)'} is empty`);
  try {
    return parseRunnerSpec(JSON.parse(raw));
  } catch (err) {
    throw new Error(
      `cannot read the runner spec from ${name}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
};

const loadSpec = async (argv: readonly string[]): Promise<RunnerSpec> => {
  const fromEnv = specFromEnv(argv);
  if (fromEnv !== undefined) return fromEnv;
  const path = specPathFrom(argv);
  if (path === undefined) throw new Error('usage: main.js --spec <file> | --spec-env <VAR>');
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(
      `cannot read the runner spec ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return parseRunnerSpec(doc);
};

const main = async (argv: readonly string[]): Promise<number> => {
  const info = await runnerInfo(argv);
  if (info !== undefined) {
    process.stdout.write(info);
    return 0;
  }
  let spec: RunnerSpec;
  try {
    spec = await loadSpec(argv);
  } catch (err) {
    writeLine(formatResultLine({ ok: false, reason: err instanceof Error ? err.message : String(err) }));
    return 1;
  }
  const token = process.env['GITHUB_TOKEN'] || process.env['GH_TOKEN'] || undefined;
  const env = await materializeCodexAuth(process.env);
  const controller = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => controller.abort());
  const result = await runAttempt(spec, {
    github: createOctokitGitHub({ apiUrl: spec.github.apiUrl, ...(token === undefined ? {} : { token }) }),
    write: writeLine,
    env,
    now: () => new Date(),
    nodePath: process.execPath,
    signal: controller.signal,
    ...(token === undefined ? {} : { token }),
  });
  return result.ok ? 0 : 1;
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    crashed(err);
    process.exitCode = 1;
  },
);
