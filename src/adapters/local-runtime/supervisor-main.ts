/**
 * The supervisor of one local run: `node supervisor-main.js <run dir>/spec.json`, started by
 * k3sc detached, in its own session, with no pipe back to k3sc, so k3sc may exit or die
 * without touching the run. It spawns the runner, writes its redacted output to output.log,
 * enforces the deadline, stops the runner on SIGTERM (the reason is in stop.json) and writes
 * exit.json with the runner's true result. Settings come from K3SC_SUPERVISOR; the runner's
 * environment, secrets included, is this process's environment (never a file).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { systemClock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import { makeRedactor, secretValuesOf } from '../../core/secrets/index.js';
import { spawnChildRun } from './child-run.js';
import { runPathsIn, writeJsonAtomic, type ExitRecord, type StopRequest } from './run-files.js';
import { parseSupervisorConfig, startRecordOf, SUPERVISOR_CONFIG_VAR } from './supervisor-config.js';

const log =
  (level: string) =>
  (obj: object, msg?: string): void => {
    const line = JSON.stringify({ level, msg, ...obj }, (_k, v: unknown) =>
      v instanceof Error ? v.message : v,
    );
    process.stderr.write(`${line}\n`);
  };

/** Lines to stderr, which k3sc points at the run's supervisor.log. */
const stderrLogger: Logger = {
  debug: () => undefined,
  info: log('info'),
  warn: log('warn'),
  error: log('error'),
  child: () => stderrLogger,
};

const stopRequest = (path: string): StopRequest | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StopRequest;
  } catch {
    return undefined;
  }
};

const supervise = async (specPath: string): Promise<ExitRecord> => {
  const paths = runPathsIn(dirname(resolve(specPath)));
  // Handlers first: a stop may come while the runner is being spawned.
  let asked: StopRequest | undefined;
  let stop: ((req: StopRequest) => void) | undefined = undefined;
  const onStop = (): void => {
    // No stop request from k3sc: the host or the service manager is ending everything (a
    // shutdown, `systemctl restart` with KillMode=control-group). Not the fault.
    asked = stopRequest(paths.stopRequest) ?? {
      reason: 'stopped (its supervisor got SIGTERM: host or service shutdown)',
      at: '',
      interrupted: true,
    };
    stop?.(asked);
  };
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  // No terminal to hang up on (own session), but a stray SIGHUP must not end the run either.
  process.on('SIGHUP', () => undefined);
  const cfg = parseSupervisorConfig(process.env[SUPERVISOR_CONFIG_VAR]);
  const env = { ...process.env };
  delete env[SUPERVISOR_CONFIG_VAR];
  // k3sc writes these too; writing them here covers a k3sc that died right after spawning us.
  writeFileSync(paths.pid, `${process.pid}\n`, 'utf8');
  await writeJsonAtomic(paths.started, startRecordOf(cfg, process.pid));
  const child = spawnChildRun({
    command: cfg.command,
    paths,
    env,
    redact: makeRedactor(secretValuesOf(env)),
    deadlineSeconds: cfg.deadlineSeconds,
    killGraceMs: cfg.killGraceMs,
    clock: systemClock,
    startedAt: cfg.startedAt,
    logger: stderrLogger,
  });
  stop = (req) => void child.stop(req.reason, req.interrupted === true);
  if (asked !== undefined) stop(asked);
  return child.done;
};

/** Before the runner was spawned (bad settings, unwritable run directory): say so in exit.json. */
const recordFailure = async (specPath: string, err: unknown): Promise<void> => {
  const paths = runPathsIn(dirname(resolve(specPath)));
  const now = new Date().toISOString();
  const record: ExitRecord = {
    exitCode: null,
    signal: null,
    reason: `the run's supervisor failed: ${err instanceof Error ? err.message : String(err)}`,
    startedAt: now,
    finishedAt: now,
  };
  await writeJsonAtomic(paths.exit, record);
};

const specPath = process.argv[2] ?? '';
supervise(specPath).then(
  (exit) => {
    stderrLogger.info({ exit }, 'run ended');
    process.exit(0);
  },
  async (err: unknown) => {
    stderrLogger.error({ err }, 'supervisor failed');
    await recordFailure(specPath, err).catch(() => undefined);
    process.exit(1);
  },
);
