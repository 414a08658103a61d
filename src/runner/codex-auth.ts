import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The variable `k3sc deploy` fills from the operator's `$CODEX_HOME/auth.json` (Secret k3sc-agent-codex). */
export const CODEX_AUTH_ENV = 'CODEX_AUTH_JSON';

/**
 * Inside an agent pod, Codex's login arrives as one variable (the Secret is the Job's envFrom):
 * writes it to `$CODEX_HOME/auth.json` (default `~/.codex/auth.json`, mode 0600) unless that file
 * already exists, and returns the environment without the variable, so the agent never sees it.
 */
export const materializeCodexAuth = async (env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> => {
  const { [CODEX_AUTH_ENV]: auth, ...rest } = env;
  if (auth === undefined || auth.trim() === '') return env;
  const dir = rest['CODEX_HOME']?.trim() || join(rest['HOME'] ?? '/tmp', '.codex');
  const file = join(dir, 'auth.json');
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(file, auth, { mode: 0o600, flag: 'wx' });
  }
  return rest;
};
