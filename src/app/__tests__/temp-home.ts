import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../adapters/config/index.js';

/** Environment variables that would change what k3sc loads; never inherited by tests. */
const K3SC_ENV = /^(GITHUB_TOKEN|GH_TOKEN|K3SC_.*|MAX_SLOTS|SLACK_.*|DISCORD_.*)$/;

/** The test process's environment without credentials or k3sc settings, plus `extra`. */
export const cleanEnv = (extra: Record<string, string> = {}): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !K3SC_ENV.test(k)) env[k] = v;
  return { ...env, ...extra };
};

export interface TempHome {
  readonly dir: string;
  /** `<dir>/data`, the config's data_dir. */
  readonly dataDir: string;
  /** `<dir>/k3sc.yaml` */
  readonly configPath: string;
  load(env?: Record<string, string>): Promise<LoadedConfig>;
  cleanup(): Promise<void>;
}

/** A temp HOME with a config file: data dir inside it, HTTP on a free port, plus `yaml`. */
export const tempHome = async (yaml = ''): Promise<TempHome> => {
  const dir = await mkdtemp(join(tmpdir(), 'k3sc-app-test-'));
  const dataDir = join(dir, 'data');
  const configPath = join(dir, 'k3sc.yaml');
  await writeFile(
    configPath,
    `data_dir: ${JSON.stringify(dataDir)}\nhttp: { host: 127.0.0.1, port: 0 }\n${yaml}`,
  );
  return {
    dir,
    dataDir,
    configPath,
    load: (env = {}) => loadConfig({ path: configPath, env, homeDir: dir }),
    cleanup: () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }),
  };
};
