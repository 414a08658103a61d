import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const schema = z.object({ pid: z.number().int(), url: z.string(), token: z.string().min(16) });
export type ControlInfo = z.infer<typeof schema>;

export const controlPath = (dataDir: string): string => join(dataDir, 'serve.json');

export const newControlToken = (): string => randomBytes(24).toString('hex');

/** Written by `serve` (mode 0600) so CLI commands on this machine can reach it. */
export const writeControlFile = (dataDir: string, info: ControlInfo): Promise<void> =>
  writeFile(controlPath(dataDir), JSON.stringify(info), { mode: 0o600 });

export const removeControlFile = (dataDir: string): Promise<void> =>
  rm(controlPath(dataDir), { force: true });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The running server's address, or undefined when no live `serve` owns this data dir. */
export const readControlFile = async (dataDir: string): Promise<ControlInfo | undefined> => {
  try {
    const info = schema.parse(JSON.parse(await readFile(controlPath(dataDir), 'utf8')));
    return alive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
};
