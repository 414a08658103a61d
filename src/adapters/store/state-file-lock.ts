import { randomBytes } from 'node:crypto';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
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

export interface AcquireLockFileOptions {
  readonly lockPath: string;
  readonly clock: Clock;
  readonly pid?: number;
  readonly host?: string;
  /** The error when someone else holds the lock; `detail` is e.g. `process 123`. */
  readonly inUse: (detail: string, holder: LockHolder | undefined) => K3scError;
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

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

const readHolder = async (lockPath: string): Promise<LockHolder | undefined | 'gone'> => {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(await readFile(lockPath, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch (err) {
    return codeOf(err) === 'ENOENT' ? 'gone' : undefined;
  }
};

const sameHolder = (a: LockHolder, b: LockHolder): boolean =>
  a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt;

const uniqueSibling = (lockPath: string, tag: string): string =>
  `${lockPath}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`;

/**
 * Creates the lock file with its content in one step: the holder is written to a private temp
 * file that is then hard-linked to `lockPath` (link fails if the name exists), so no other
 * opener ever sees an empty, half-written lock. Where hard links are not supported, falls
 * back to an exclusive create (`wx`).
 */
const tryCreate = async (lockPath: string, holder: LockHolder): Promise<boolean> => {
  const text = `${JSON.stringify(holder)}\n`;
  const temp = uniqueSibling(lockPath, 'new');
  const cannot = (err: unknown): K3scError =>
    new K3scError('unavailable', `cannot create lock file ${lockPath}: ${errorText(err)}`, { cause: err });
  try {
    await writeFile(temp, text, { flag: 'wx' });
  } catch (err) {
    throw cannot(err);
  }
  try {
    await link(temp, lockPath);
    return true;
  } catch (err) {
    if (codeOf(err) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(codeOf(err) ?? '')) throw cannot(err);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  try {
    await writeFile(lockPath, text, { flag: 'wx' });
    return true;
  } catch (err) {
    if (codeOf(err) === 'EEXIST') return false;
    throw cannot(err);
  }
};

/** A takeover lock older than this belongs to a taker that died mid-takeover. */
const TAKEOVER_STALE_MS = 5_000;

const takeoverPath = (lockPath: string): string => `${lockPath}.takeover`;

/** Takes the takeover lock (one taker at a time), clearing one a dead taker left behind. */
const tryTakeover = async (lockPath: string, holder: LockHolder): Promise<boolean> => {
  const path = takeoverPath(lockPath);
  if (await tryCreate(path, holder)) return true;
  const age = await stat(path).then(
    (st) => Date.now() - st.mtimeMs,
    () => 0,
  );
  if (age > TAKEOVER_STALE_MS) await unlink(path).catch(() => undefined);
  return false;
};

/**
 * Removes a stale lock without ever removing a live one: only the holder of the takeover lock
 * (`<lock>.takeover`, created exclusively) may remove the lock file, and only after reading it
 * again under the takeover lock and finding the same stale holder. Every other opener waits for
 * the takeover to end and then simply tries to create the lock, so exactly one wins. Returns
 * false when someone else is taking over (try again shortly).
 */
const removeStale = async (lockPath: string, stale: LockHolder, me: LockHolder): Promise<boolean> => {
  if (!(await tryTakeover(lockPath, me))) return false;
  try {
    const current = await readHolder(lockPath);
    if (typeof current === 'object' && sameHolder(current, stale))
      await unlink(lockPath).catch((err: unknown) => {
        if (codeOf(err) !== 'ENOENT') throw err;
      });
    return true;
  } finally {
    await unlink(takeoverPath(lockPath)).catch(() => undefined);
  }
};

/**
 * Takes the exclusive lock file `lockPath`. A lock whose process is alive, or that belongs to
 * another host, or that cannot be read, is refused with `inUse`; a lock left by a dead process
 * on this host is taken over (and the lock says so in `note`).
 */
export const acquireLockFile = async (options: AcquireLockFileOptions): Promise<StateFileLock> => {
  const { lockPath } = options;
  const holder: LockHolder = {
    pid: options.pid ?? process.pid,
    startedAt: options.clock.now().toISOString(),
    host: options.host ?? hostname(),
  };
  let note: string | undefined;
  for (let tries = 0; tries < 200; tries += 1) {
    if (await tryCreate(lockPath, holder)) return makeLock(lockPath, holder, note);
    const current = await readHolder(lockPath);
    if (current === 'gone') continue;
    if (current === undefined)
      throw options.inUse('another process (its lock file is unreadable)', undefined);
    if (current.host !== holder.host)
      throw options.inUse(`process ${current.pid} on host ${current.host}`, current);
    if (isProcessAlive(current.pid)) throw options.inUse(`process ${current.pid}`, current);
    note = `took over the stale lock ${lockPath} of process ${current.pid} (started ${current.startedAt}), which is no longer running`;
    // Another opener is taking over: give it a moment, then look again.
    if (!(await removeStale(lockPath, current, holder))) await sleep(10 + Math.floor(Math.random() * 10));
  }
  throw new K3scError(
    'unavailable',
    `could not take the lock ${lockPath}: other processes keep racing for it; try again`,
  );
};

/**
 * Takes the exclusive lock `<statePath>.lock` for the state file. Refused while another live
 * process on this host (or any process on another host) holds it.
 */
export const acquireStateFileLock = (options: AcquireLockOptions): Promise<StateFileLock> => {
  const lockPath = `${options.statePath}.lock`;
  return acquireLockFile({
    lockPath,
    clock: options.clock,
    ...(options.pid === undefined ? {} : { pid: options.pid }),
    ...(options.host === undefined ? {} : { host: options.host }),
    inUse: (detail) =>
      new K3scError(
        'unavailable',
        `state file ${options.statePath} is in use by ${detail} (is \`k3sc serve\` running?) — while it runs, use its commands ` +
          `instead of opening the file; if no such process is running, delete ${lockPath}.`,
      ),
  });
};

const makeLock = (lockPath: string, holder: LockHolder, note: string | undefined): StateFileLock => ({
  lockPath,
  holder,
  ...(note === undefined ? {} : { note }),
  async release(): Promise<void> {
    const current = await readHolder(lockPath);
    if (typeof current === 'object' && sameHolder(current, holder)) {
      await unlink(lockPath).catch(() => undefined);
    }
  },
});
