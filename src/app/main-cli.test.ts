import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from './__tests__/main-in-process.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';

const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const WEBHOOK = 'whsec-supersecret-value-123';

let home: TempHome;

beforeAll(async () => {
  home = await tempHome('repos: [{ owner: acme, name: widgets }]\nallowed_authors: [alice]\n');
});
afterAll(() => home.cleanup());

beforeEach(() => {
  for (const k of ['GITHUB_TOKEN', 'GH_TOKEN', 'K3SC_CONFIG', 'K3SC_WEBHOOK_SECRET', 'MAX_SLOTS'])
    vi.stubEnv(k, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('k3sc config check', () => {
  it('lists every problem of a bad file with its path, and exits 2', async () => {
    const bad = join(home.dir, 'bad.yaml');
    await writeFile(bad, 'max_slots: 0\nscan:\n  min_interval: 2x\nrepos:\n  - { owner: "", name: w }\n');
    const r = await cli('config', 'check', '--config', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`config ${bad} has 3 problems`);
    expect(r.stderr).toContain('max_slots: must be between 1 and 26');
    expect(r.stderr).toContain('repos[0].owner: "" is not a valid name');
    expect(r.stderr).toContain('scan.min_interval: "2x" is not a duration like 90s, 2m, 1h');
    expect(r.stdout).toBe('');
  });

  it('says so when the file given with --config does not exist', async () => {
    const r = await cli('config', 'check', '--config', join(home.dir, 'missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.yaml \(from --config\) does not exist/);
  });

  it('--json prints the effective config with every secret masked', async () => {
    vi.stubEnv('GITHUB_TOKEN', TOKEN);
    vi.stubEnv('K3SC_WEBHOOK_SECRET', WEBHOOK);
    const r = await cli('config', 'check', '--json', '--config', home.configPath);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      config: { github: { auth: unknown; webhookSecret: unknown }; repos: unknown };
    };
    expect(json.config.github.auth).toEqual({ kind: 'token', token: '***', source: 'env:GITHUB_TOKEN' });
    expect(json.config.github.webhookSecret).toEqual({ value: '***', source: 'env:K3SC_WEBHOOK_SECRET' });
    expect(json.config.repos).toEqual([{ owner: 'acme', name: 'widgets' }]);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(TOKEN);
      expect(out).not.toContain(WEBHOOK);
    }
    const text = await cli('config', 'check', '--config', home.configPath);
    expect(text.stdout).toContain('auth: token from env:GITHUB_TOKEN');
    expect(text.stdout).not.toContain(TOKEN);
  });
});

describe('table commands from the CLI', () => {
  it.each([
    [
      ['kill', 'not-a-ref'],
      'kill: issue: not an issue reference — write owner/repo#N (e.g. acme/widgets#12)',
    ],
    [
      ['reset', 'o/r#1', '--to', 'nowhere'],
      'reset: to: --to must be one of ready, needs-review, needs-human, none',
    ],
    [['scale', '-3'], 'scale: slots: slots must be 0 or more (0 stops new dispatches)'],
    [['scale', 'many'], 'scale: slots: slots must be a whole number like 3 (digits only)'],
    // Number() read "" as 0 slots and accepted hex and exponents.
    [['scale', ''], 'scale: slots: slots must be a whole number like 3 (digits only)'],
    [['scale', '0x10'], 'scale: slots: slots must be a whole number like 3 (digits only)'],
    [['scale', '1e1'], 'scale: slots: slots must be a whole number like 3 (digits only)'],
    [['take'], 'take: worker: --worker is required, like --worker claude-b'],
    [['take', '--worker', 'Bob'], 'take: worker: a worker looks like <family>-<id>, e.g. claude-b'],
    [
      ['release', 'acme/widgets#3', '--worker', 'claude-b'],
      'release: give exactly one of: a PR (owner/repo#N) or --worker <worker>',
    ],
    [['claim', 'acme/widgets#3'], 'claim: owner: --owner is required, like --owner claude-b'],
    [['logs', 'acme/widgets#3', '--tail', 'all'], 'logs: tail: --tail must be a number of lines'],
    [['logs', 'acme/widgets#3', '--tail', '0'], 'logs: tail: --tail must be 1 or more'],
    [['usage', '--by', 'year'], 'usage: by: --by must be one of day, week, model, repo, agent'],
  ])('%j exits 2 and says what to fix, before needing credentials', async (argv, message) => {
    const r = await cli('--config', home.configPath, ...argv);
    expect(r.code).toBe(2);
    expect(`${r.stdout}${r.stderr}`).toContain(message);
    expect(`${r.stdout}${r.stderr}`).not.toContain('no GitHub credentials');
  });

  it('prints a bad argument as JSON with --json', async () => {
    const r = await cli('--config', home.configPath, 'take', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'bad_input', message: 'take: worker: --worker is required, like --worker claude-b' },
    });
  });

  it('without credentials and without a running serve, explains how to get credentials', async () => {
    const r = await cli('--config', home.configPath, 'top', '--once');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error: no GitHub credentials: set GITHUB_TOKEN (or GH_TOKEN), github.token_file or github.app',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown command, a missing argument and an unknown option with exit 2', async () => {
    const unknown = await cli('--config', home.configPath, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'frobnicate'");
    expect((await cli('--config', home.configPath, 'kill')).stderr).toContain(
      "error: missing required argument 'issue'",
    );
    expect((await cli('--config', home.configPath, 'top', '--bogus')).code).toBe(2);
  });

  it('prints help with exit 0, listing the table commands', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const name of ['serve', 'demo', 'config', 'top', 'kill', 'take', 'usage'])
      expect(r.stdout).toContain(name);
  });
});

describe('serve and demo options', () => {
  it('rejects a port or timeout that is not a whole number in range', async () => {
    const port = await cli('--config', home.configPath, 'serve', '--port', 'eighty');
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port must be a whole number from 0 to 65535 (got "eighty")');
    const timeout = await cli('--config', home.configPath, 'demo', '--timeout', '-5');
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('--timeout must be a whole number from 1 to 86400');
  });
});
