import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './__tests__/run-cli.js';
import { cleanEnv, tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { controlPath, readControlFile } from './control-file.js';

let home: TempHome;

beforeAll(async () => {
  // Every family disabled, so SIGTERM does not land in the middle of an agent run.
  home = await tempHome('families: { claude: { enabled: false }, codex: { enabled: false } }\n');
});
afterAll(() => home.cleanup());

describe('k3sc serve as a process', () => {
  it('exits 0 on SIGTERM, removing serve.json and the state lock', async () => {
    const child = spawn(process.execPath, [BIN, '--config', home.configPath, 'serve', '--no-console'], {
      env: cleanEnv({ HOME: home.dir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const info = await waitFor('serve.json', () => readControlFile(home.dataDir), 30_000);
      expect(info.pid).toBe(child.pid);
      expect(stdout).toContain('SANDBOX MODE');
      expect((await fetch(`${info.url}/healthz`)).status).toBe(200);
      expect(existsSync(join(home.dataDir, 'sandbox', 'state.json.lock'))).toBe(true);
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
      expect(existsSync(controlPath(home.dataDir))).toBe(false);
      expect(existsSync(join(home.dataDir, 'sandbox', 'state.json.lock'))).toBe(false);
      expect(stdout).not.toContain('attempt sandbox-hello-k3sc-1-1 started');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
