import { rm } from 'node:fs/promises';
import { runPaths } from './run-files.js';
import { readDiskState } from './run-status.js';

/**
 * TTL cleanup of one run's directory (spec, log, pid and exit files). Only a run that has
 * ended (its exit record is written) is removed; one still going, or never seen, is left alone.
 */
export const forgetRun = async (dataDir: string, attemptName: string): Promise<boolean> => {
  const paths = runPaths(dataDir, attemptName);
  if ((await readDiskState(paths)).kind !== 'ended') return false;
  await rm(paths.dir, { recursive: true, force: true });
  return true;
};
