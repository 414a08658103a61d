import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { z } from 'zod';
import { K3scError } from '../../core/errors.js';
import type { Clock } from '../../core/ports/clock.js';
import { errorText } from './error-text.js';

/** What a lock file says about its holder. */
export interface LockHolder {
  readonly pid: number;
  readonly startedAt: string;
  readonly host: string;
}

export interface StateFileLock {
  readonly lockPath: string;
  readonly holder: LockHolder;
  /** Set when a stale lock left by a dead process was taken over. */
  readonly note?: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  readonly statePath: string;
  readonly clock: Clock;
  readonly pid?: number;
  readonly host?: string;
}

const holderSchema = z.object({ pid: z.number().int().min(1), startedAt: z.string(), host: z.string() });

/** True when a process with that id exists here (EPERM: it exists but belongs to someone else). */
export const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readHolder = async (lockPath: string): Promise<LockHolder | undefined | 'gone'> => {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(await readFile(lockPath, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
};

const tryCreate = async (lockPath: string, holder: LockHolder): Promise<boolean> => {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new K3scError('unavailable', `cannot create lock file ${lockPath}: ${errorText(err)}`, {
      cause: err,
    });
  }
  try {
    await handle.writeFile(`${JSON.stringify(holder)}\n`, 'utf8');
  } finally {
    await handle.close();
  }
  return true;
};

const inUse = (statePath: string, lockPath: string, detail: string): K3scError =>
  new K3scError(
    'unavailable',
    `state file ${statePath} is in use by ${detail} (is \`k3sc serve\` running?) — while it runs, use its commands ` +
      `instead of opening the file; if no such process is running, delete ${lockPath}.`,
  );

/**
 * Takes the exclusive lock `<statePath>.lock` (created with 'wx', so only one opener wins).
 * A lock whose process is alive, or that belongs to another host, is refused; a lock left by a
 * dead process on this host is taken over.
 */
export const acquireStateFileLock = async (options: AcquireLockOptions): Promise<StateFileLock> => {
  const lockPath = `${options.statePath}.lock`;
  const holder: LockHolder = {
    pid: options.pid ?? process.pid,
    startedAt: options.clock.now().toISOString(),
    host: options.host ?? hostname(),
  };
  let note: string | undefined;
  for (let tries = 0; tries < 3; tries += 1) {
    if (await tryCreate(lockPath, holder)) return makeLock(lockPath, holder, note);
    const current = await readHolder(lockPath);
    if (current === 'gone') continue;
    if (current === undefined)
      throw inUse(options.statePath, lockPath, 'another process (its lock file is unreadable)');
    if (current.host !== holder.host)
      throw inUse(options.statePath, lockPath, `process ${current.pid} on host ${current.host}`);
    if (isProcessAlive(current.pid)) throw inUse(options.statePath, lockPath, `process ${current.pid}`);
    note = `took over the stale lock ${lockPath} of process ${current.pid} (started ${current.startedAt}), which is no longer running`;
    await unlink(lockPath).catch(() => undefined);
  }
  throw new K3scError(
    'unavailable',
    `could not take the lock ${lockPath}: other processes keep racing for it; try again`,
  );
};

const makeLock = (lockPath: string, holder: LockHolder, note: string | undefined): StateFileLock => ({
  lockPath,
  holder,
  ...(note === undefined ? {} : { note }),
  async release(): Promise<void> {
    const current = await readHolder(lockPath);
    if (
      typeof current === 'object' &&
      current.pid === holder.pid &&
      current.host === holder.host &&
      current.startedAt === holder.startedAt
    ) {
      await unlink(lockPath).catch(() => undefined);
    }
  },
});
