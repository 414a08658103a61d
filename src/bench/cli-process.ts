import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI as users run it, and main() alone (the full start-up every command took before). */
export const BIN = fileURLToPath(new URL('../../bin/k3sc.js', import.meta.url));
export const FULL_MAIN = fileURLToPath(new URL('./full-main.js', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Spawn to exit, as the parent saw it. */
  readonly wallMs: number;
  /** User + system CPU of the child itself. */
  readonly cpuMs: number;
  /** Peak resident set of the child. */
  readonly maxRssMiB: number;
}

/** Spawns node processes that report their own CPU time and peak RSS at exit (through `--import`). */
export interface CliRunner {
  run(script: string, args: readonly string[], env: Record<string, string>): Promise<CliRun>;
  close(): Promise<void>;
}

const REPORTER = [
  "import { writeFileSync } from 'node:fs';",
  "process.on('exit', () => {",
  '  const cpu = process.cpuUsage();',
  '  const rss = process.resourceUsage().maxRSS;',
  '  writeFileSync(process.env.K3SC_BENCH_USAGE, JSON.stringify({ cpuUs: cpu.user + cpu.system, rssKiB: rss }));',
  '});',
  '',
].join('\n');

export const startCliRunner = async (): Promise<CliRunner> => {
  const dir = await mkdtemp(join(tmpdir(), 'k3sc-bench-cli-'));
  const reporter = join(dir, 'usage-reporter.mjs');
  await writeFile(reporter, REPORTER);
  let seq = 0;
  return {
    run: (script, args, env) =>
      new Promise((resolve, reject) => {
        const usageFile = join(dir, `usage-${++seq}.json`);
        const t0 = performance.now();
        const child = spawn(process.execPath, ['--import', reporter, script, ...args], {
          env: { ...env, K3SC_BENCH_USAGE: usageFile },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          const wallMs = performance.now() - t0;
          readFile(usageFile, 'utf8').then((text) => {
            const u = JSON.parse(text) as { cpuUs: number; rssKiB: number };
            resolve({ code, stdout, stderr, wallMs, cpuMs: u.cpuUs / 1000, maxRssMiB: u.rssKiB / 1024 });
          }, reject);
        });
      }),
    close: () => rm(dir, { recursive: true, force: true }),
  };
};

/** The environment of a bench child: this one's, without anything that would change what k3sc loads. */
export const childEnv = (extra: Record<string, string>): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(GITHUB_TOKEN|GH_TOKEN|K3SC_.*|MAX_SLOTS|NODE_OPTIONS)$/.test(k)) env[k] = v;
  return { ...env, ...extra };
};
