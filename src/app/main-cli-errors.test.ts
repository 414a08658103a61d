import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { K3SC_ENV_KEYS, cli } from './__tests__/main-in-process.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';

let home: TempHome;

beforeAll(async () => {
  home = await tempHome('repos: [{ owner: acme, name: widgets }]\nallowed_authors: [alice]\n');
});
afterAll(() => home.cleanup());

beforeEach(() => {
  for (const k of K3SC_ENV_KEYS) vi.stubEnv(k, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('bad input is a message, never a stack trace (A16 and the low items)', () => {
  const noStack = (r: { stdout: string; stderr: string }): void =>
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at |k3sc failed/);

  it('rejects --log-level banana before running anything', async () => {
    for (const argv of [
      ['--log-level', 'banana', 'config', 'check', '--config', home.configPath],
      ['--log-level', 'banana', '--config', home.configPath, 'top'],
      ['--log-level', 'banana', '--config', home.configPath, 'serve', '--no-console'],
    ]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'error: --log-level must be one of trace, debug, info, warn, error, fatal, silent (got "banana")\n',
      );
      noStack(r);
    }
    expect((await cli('--log-level', 'DEBUG', 'config', 'check', '--config', home.configPath)).code).toBe(0);
  });

  it('refuses an argument over 4 KiB as bad input (70 KB ones gave an internal error)', async () => {
    const long = await cli('--config', home.configPath, 'kill', `acme/widgets#${'1'.repeat(70_000)}`);
    expect(long.code).toBe(2);
    expect(long.stderr).toBe('error: kill: issue: is 70,013 characters long; at most 4,096 are accepted\n');
    const worker = await cli('--config', home.configPath, 'take', '--worker', `claude-${'b'.repeat(70_000)}`);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toContain('take: worker: is 70,007 characters long');
  });

  it('config check refuses a FIFO at once (it used to block for ever, deaf to the first SIGTERM)', async () => {
    const fifo = join(home.dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await cli('config', 'check', '--config', fifo);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: cannot read config file ${fifo}: it is a FIFO (named pipe), not a regular file\n`,
    );
  });

  it('rejects an empty --config instead of falling back to the default file', async () => {
    const r = await cli('config', 'check', '--config', '');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --config is empty/);
  });

  it('config check reports an http.host that does not resolve, and one that is not a host at all', async () => {
    const unresolvable = join(home.dir, 'host.yaml');
    await writeFile(unresolvable, 'http: { host: no-such-host.invalid }\n');
    const r = await cli('config', 'check', '--config', unresolvable);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('http.host: "no-such-host.invalid" does not resolve to an address');
    noStack(r);
    await writeFile(unresolvable, 'http: { host: "http://0.0.0.0:80" }\n');
    const syntax = await cli('config', 'check', '--config', unresolvable);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain('http.host: "http://0.0.0.0:80" is not an IP address or host name');
  });

  it('runtime.kind kubernetes with no cluster to reach: config check is clean, a command fails in words', async () => {
    const file = join(home.dir, 'kube.yaml');
    await writeFile(
      file,
      `repos: [{ owner: acme, name: widgets }]\nallowed_authors: [alice]\ndata_dir: ${join(home.dir, 'kube-data')}\nruntime: { kind: kubernetes, kubernetes: { kubeconfig: ${join(home.dir, 'no-such-kubeconfig')} } }\ngithub: { api_url: "http://127.0.0.1:9" }\n`,
    );
    const check = await cli('config', 'check', '--config', file);
    expect(check.code).toBe(0);
    expect(`${check.stdout}${check.stderr}`).not.toMatch(/not supported/);
    vi.stubEnv('GITHUB_TOKEN', 'ghp_000000000000000000000000000000000000');
    const status = await cli('status', '--config', file);
    expect(status.code).not.toBe(0);
    expect(status.stderr).toMatch(/kube/i);
    noStack(status);
  });

  it('serve says so when its port is in use, and exits 1', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const r = await cli('--config', home.configPath, 'serve', '--no-console', '--port', String(port));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: cannot listen on 127.0.0.1:${port}: the port is already in use`);
      noStack(r);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('serve says so when http.host is not an address of this machine', async () => {
    const elsewhere = join(home.dir, 'elsewhere.yaml');
    await writeFile(
      elsewhere,
      `data_dir: ${JSON.stringify(home.dataDir)}\nhttp: { host: 192.0.2.1, port: 0 }\n`,
    );
    const r = await cli('--config', elsewhere, 'serve', '--no-console');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error: cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine',
    );
    noStack(r);
  });
});
