import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { K3scError } from '../../core/errors.js';

export interface RunPaths {
  readonly dir: string;
  readonly spec: string;
  readonly log: string;
  /** The supervisor's pid (the process to signal to stop the run). */
  readonly pid: string;
  /** The runner's pid, which is also its process group id; written by the supervisor. */
  readonly runnerPid: string;
  readonly started: string;
  readonly exit: string;
  /** Left by whoever stops a run, before signalling its supervisor, so the right reason is recorded. */
  readonly stopRequest: string;
  /** The supervisor's own stdout/stderr (its crashes, not the run's output). */
  readonly supervisorLog: string;
}

/** Written when the supervisor is spawned (by k3sc, and again by the supervisor itself). */
export interface StartRecord {
  readonly attemptName: string;
  readonly slot: string;
  /** The supervisor's pid. */
  readonly pid: number;
  readonly startedAt: string;
  readonly deadlineSeconds: number;
}

/** Written by the supervisor when the runner has ended (or by k3sc when the supervisor died first). */
export interface ExitRecord {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Null when the run succeeded. */
  readonly reason: string | null;
  /** k3sc ended the run for its own reasons (a clean shutdown): not the fault. */
  readonly interrupted?: true;
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** `stop.json`: why a run is being stopped; the first request's reason is the one recorded. */
export interface StopRequest {
  readonly reason: string;
  readonly at: string;
  readonly interrupted?: true;
}

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Rejects names that could escape the data directory. */
export const checkName = (what: string, name: string): string => {
  if (!SAFE_NAME.test(name) || name.length > 200) {
    throw new K3scError('bad_input', `${what} "${name}" may only contain letters, digits, ".", "_" and "-"`);
  }
  return name;
};

export const runPaths = (dataDir: string, attemptName: string): RunPaths =>
  runPathsIn(join(dataDir, 'runs', checkName('attempt name', attemptName)));

/** The files of the run whose directory is `dir` (the supervisor knows only that). */
export const runPathsIn = (dir: string): RunPaths => ({
  dir,
  spec: join(dir, 'spec.json'),
  log: join(dir, 'output.log'),
  pid: join(dir, 'pid'),
  runnerPid: join(dir, 'runner.pid'),
  started: join(dir, 'started.json'),
  exit: join(dir, 'exit.json'),
  stopRequest: join(dir, 'stop.json'),
  supervisorLog: join(dir, 'supervisor.log'),
});

export const slotFile = (dataDir: string, slot: string): string =>
  join(dataDir, 'slots', `${checkName('slot', slot)}.json`);

export const workspaceDir = (dataDir: string, slot: string): string =>
  join(dataDir, 'workspaces', checkName('slot', slot));

let tmpCounter = 0;

/** Writes through a temporary file and a rename, so readers never see half a record. */
export const writeJsonAtomic = async (path: string, value: unknown): Promise<void> => {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
  await rename(tmp, path);
};

/** The parsed file, undefined when absent; a record that cannot be parsed is reported. */
export const readJson = async <T>(path: string): Promise<T | undefined> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new K3scError(
      'state_corrupt',
      `${path} is not valid JSON; delete the run directory to forget the run`,
      { cause: err },
    );
  }
};
