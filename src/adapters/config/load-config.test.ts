import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isK3scError } from '../../core/errors.js';
import { EARLIER_TOOL_EXAMPLE, FAKE_GITHUB_TOKEN } from './config-fixtures.js';
import { formatConfigReport } from './config-report.js';
import { loadConfig } from './load-config.js';

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'k3sc-config-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const rejection = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
};

describe('loadConfig', () => {
  it('uses defaults only when no path was given and ~/.k3sc.yaml does not exist', async () => {
    const loaded = await loadConfig({ env: {}, homeDir: home });
    expect(loaded.source).toEqual({ kind: 'defaults', path: join(home, '.k3sc.yaml') });
    expect(loaded.config.namespace).toBe('claude-agents');
    expect(loaded.config.dataDir).toBe(join(home, '.k3sc'));
    expect(formatConfigReport(loaded)).toContain(`no file at ${join(home, '.k3sc.yaml')} — using defaults`);
  });

  it('reads ~/.k3sc.yaml when it exists', async () => {
    await writeFile(join(home, '.k3sc.yaml'), EARLIER_TOOL_EXAMPLE);
    const loaded = await loadConfig({ env: {}, homeDir: home });
    expect(loaded.source).toEqual({ kind: 'file', path: join(home, '.k3sc.yaml') });
    expect(loaded.config.repos).toHaveLength(2);
  });

  it('fails when an explicit --config path does not exist', async () => {
    const missing = join(home, 'nope.yaml');
    const err = await rejection(loadConfig({ path: missing, env: {}, homeDir: home }));
    expect(isK3scError(err, 'config_invalid')).toBe(true);
    expect(err.message).toBe(`config file ${missing} (from --config) does not exist`);
  });

  it('fails when K3SC_CONFIG points at a missing file, and prefers --config over it', async () => {
    const err = await rejection(loadConfig({ env: { K3SC_CONFIG: join(home, 'gone.yaml') }, homeDir: home }));
    expect(err.message).toContain('(from K3SC_CONFIG) does not exist');
    const file = join(home, 'flag.yaml');
    await writeFile(file, 'namespace: from-flag\n');
    const loaded = await loadConfig({
      path: file,
      env: { K3SC_CONFIG: join(home, 'gone.yaml') },
      homeDir: home,
    });
    expect(loaded.config.namespace).toBe('from-flag');
  });

  it('never falls back to defaults when the default file is bad', async () => {
    await writeFile(join(home, '.k3sc.yaml'), 'namespace: [unclosed\n');
    const err = await rejection(loadConfig({ env: {}, homeDir: home }));
    expect(isK3scError(err, 'config_invalid')).toBe(true);
    expect(err.message).toContain(join(home, '.k3sc.yaml'));
    expect(err.message).toMatch(/YAML line \d+, column \d+/);
  });

  it('reads token_file next to the config file; GITHUB_TOKEN wins when set', async () => {
    await writeFile(join(home, 'gh-token'), `${FAKE_GITHUB_TOKEN}\n`);
    await writeFile(join(home, 'k3sc.yaml'), 'github: {token_file: gh-token}\n');
    const fromFile = await loadConfig({ path: join(home, 'k3sc.yaml'), env: {}, homeDir: home });
    expect(fromFile.config.github.auth).toEqual({
      kind: 'token',
      token: FAKE_GITHUB_TOKEN,
      source: `file:${join(home, 'gh-token')}`,
    });
    const report = formatConfigReport(fromFile);
    expect(report).toContain(`token from file:${join(home, 'gh-token')}`);
    expect(report).not.toContain(FAKE_GITHUB_TOKEN);
    const fromEnv = await loadConfig({
      path: join(home, 'k3sc.yaml'),
      env: { GITHUB_TOKEN: 'env-tok' },
      homeDir: home,
    });
    expect(fromEnv.config.github.auth).toMatchObject({ token: 'env-tok', source: 'env:GITHUB_TOKEN' });
  });

  it('names a secret file that does not exist', async () => {
    await writeFile(join(home, 'k3sc.yaml'), 'github: {token_file: /definitely/not/here}\n');
    const err = await rejection(loadConfig({ path: join(home, 'k3sc.yaml'), env: {}, homeDir: home }));
    expect(err.message).toContain(
      'github.token_file: cannot read /definitely/not/here: the file does not exist',
    );
  });

  it('uses an injected readFile for the config and secret files', async () => {
    const files: Record<string, string> = {
      '/cfg/k3sc.yaml': 'github: {webhook_secret_file: hook}\n',
      '/cfg/hook': 's3cret',
    };
    const readFile = (p: string): Promise<string> =>
      p in files
        ? Promise.resolve(files[p] ?? '')
        : Promise.reject(Object.assign(new Error(`ENOENT ${p}`), { code: 'ENOENT' }));
    const loaded = await loadConfig({ path: '/cfg/k3sc.yaml', env: {}, homeDir: '/home/x', readFile });
    expect(loaded.config.github.webhookSecret).toEqual({ value: 's3cret', source: 'file:/cfg/hook' });
  });

  it('validates MAX_SLOTS even when no file exists', async () => {
    const err = await rejection(loadConfig({ env: { MAX_SLOTS: '99' }, homeDir: home }));
    expect(err.message).toContain('MAX_SLOTS (environment): "99" is not a whole number between 1 and 26');
  });

  it('stops when the signal is aborted', async () => {
    const err = await rejection(loadConfig({ env: {}, homeDir: home, signal: AbortSignal.abort() }));
    expect(err.name).toBe('AbortError');
  });
});
