import { readdir, readFile, readlink } from 'node:fs/promises';

const pids = async (): Promise<string[]> => (await readdir('/proc')).filter((d) => /^\d+$/.test(d));

/** Live processes whose command line mentions `needle` (Linux /proc). */
export const processesRunning = async (needle: string): Promise<number> => {
  let count = 0;
  for (const pid of await pids()) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) count++;
  }
  return count;
};

/** Live processes working inside `dir` (their cwd is under it): supervisors, runners, agents. */
export const processesIn = async (dir: string): Promise<number[]> => {
  const found: number[] = [];
  for (const pid of await pids()) {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    if (cwd.startsWith(dir)) found.push(Number(pid));
  }
  return found;
};

/** After a test: the processes it started under `dir` must not outlive it. */
export const killAllIn = async (dir: string): Promise<void> => {
  for (const pid of await processesIn(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
};
