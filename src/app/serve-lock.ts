import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { K3scError } from '../core/errors.js';
import { systemClock } from '../core/ports/clock.js';
import { acquireLockFile, type StateFileLock } from '../adapters/store/state-file-lock.js';

export const serveLockPath = (dataDir: string): string => join(dataDir, 'serve.lock');

/**
 * The lock one `serve` holds on its data dir from start to stop, taken before anything under
 * the dir is touched (the sandbox wipes and re-seeds its folder). A second `serve`, even one
 * started at the same instant, is refused here with `conflict`.
 */
export const lockDataDir = async (dataDir: string): Promise<StateFileLock> => {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (err) {
    throw new K3scError('unavailable', `cannot create data dir ${dataDir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const lockPath = serveLockPath(dataDir);
  return acquireLockFile({
    lockPath,
    clock: systemClock,
    inUse: (detail) =>
      new K3scError(
        'conflict',
        `k3sc serve (${detail}) already runs on data dir ${dataDir}, or is starting there; stop it first, or give this one another data_dir (if no such process runs, delete ${lockPath})`,
      ),
  });
};
