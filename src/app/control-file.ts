import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a running `serve` listens and the bearer token its control API wants. */
export interface ControlInfo {
  readonly pid: number;
  readonly url: string;
  readonly token: string;
}

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

/** Checked by hand, not with zod: the CLI's lean forwarding path loads this file and little else. */
const parseControlInfo = (json: unknown): ControlInfo | undefined => {
  if (typeof json !== 'object' || json === null) return undefined;
  const { pid, url, token } = json as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return undefined;
  if (typeof token !== 'string' || token.length < 16) return undefined;
  return { pid, url, token };
};

/** The running server's address, or undefined when no live `serve` owns this data dir. */
export const readControlFile = async (dataDir: string): Promise<ControlInfo | undefined> => {
  try {
    const info = parseControlInfo(JSON.parse(await readFile(controlPath(dataDir), 'utf8')));
    return info && alive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
};
