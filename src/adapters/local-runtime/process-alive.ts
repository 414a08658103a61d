import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is alive and, where /proc exists, still runs a command mentioning `marker`
 * (the run's spec path), so a recycled pid is not mistaken for our child.
 */
export const isRunAlive = (pid: number, marker: string): boolean => {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((arg) => arg.includes(marker));
  } catch {
    return true;
  }
};

/** Signals a whole process group; a group that is gone is not an error. */
export const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
};
