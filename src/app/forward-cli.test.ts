import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../adapters/config/index.js';
import { buildTableProgram } from '../bot/program.js';
import { findDataDir, parseForwardable, scanArgv, simpleDataDir } from './forward-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3sc-forward-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('scanArgv', () => {
  it('finds the command and --config in every spelling commander takes', () => {
    expect(scanArgv(['status'])).toEqual({ command: 'status' });
    expect(scanArgv(['-c', 'a.yaml', 'top', '--once'])).toEqual({ command: 'top', config: 'a.yaml' });
    expect(scanArgv(['--config=a.yaml', 'top'])).toEqual({ command: 'top', config: 'a.yaml' });
    expect(scanArgv(['-ca.yaml', 'top'])).toEqual({ command: 'top', config: 'a.yaml' });
    expect(scanArgv(['top', '--config', 'a.yaml'])).toEqual({ command: 'top', config: 'a.yaml' });
    expect(scanArgv(['--log-level', 'debug', 'kill', 'a/b#1'])).toEqual({ command: 'kill' });
  });

  it('leaves help, versions, its own commands, odd options and bad log levels to main()', () => {
    for (const argv of [
      [],
      ['--help'],
      ['top', '-h'],
      ['serve'],
      ['demo'],
      ['config', 'check'],
      ['help', 'top'],
      ['--frobnicate', 'top'],
      ['--log-level', 'banana', 'top'],
      ['--config', '', 'top'],
      ['--config'],
      ['top', '--', 'x'],
    ])
      expect(scanArgv(argv), argv.join(' ')).toBeUndefined();
  });
});

describe('simpleDataDir', () => {
  const cases = [
    'data_dir: /srv/k3sc\n',
    'data_dir: ~/k3sc # where state lives\n',
    'data_dir: "/tmp/with space"\nrepos: []\n',
    "data_dir: 'rel/dir'\n",
    'max_slots: 3\ndata_dir: ./data\n',
    'data_dir: ~\n',
    'data_dir: null\n',
    'data_dir: 123\n',
    'data_dir: .inf\n',
    'data_dir: "a\\tb"\n',
    'data_dir: /a#b\n',
    'data_dir: [x]\n',
    'data_dir: &a /x\n',
    'data_dir: /x\ndata_dir: /y\n',
    '{ data_dir: /x }\n',
    'nested:\n  data_dir: /x\n',
    'data_dir: |\n  /x\n',
  ];

  it.each(cases)('agrees with the YAML parser whenever it answers: %j', (text) => {
    const simple = simpleDataDir(text);
    if (simple === undefined) return;
    const doc = parseDocument(text, { uniqueKeys: true });
    expect(doc.errors).toEqual([]);
    expect(simple).toBe(String((doc.toJS() as { data_dir: unknown }).data_dir).trim());
  });

  it('answers the common forms and leaves the rest to the parser', () => {
    expect(cases.map(simpleDataDir)).toEqual([
      '/srv/k3sc',
      '~/k3sc',
      '/tmp/with space',
      'rel/dir',
      './data',
      ...Array.from({ length: 12 }, () => undefined),
    ]);
  });
});

describe('findDataDir', () => {
  const write = async (name: string, text: string): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  };

  it.each([
    ['no data_dir', 'max_slots: 2\n'],
    ['an absolute data_dir', 'data_dir: /srv/k3sc\n'],
    ['a relative data_dir', 'data_dir: state\n'],
    ['a home data_dir', 'data_dir: ~/k3sc-data\n'],
    ['a flow-style file', '{ data_dir: "flow/dir", max_slots: 2 }\n'],
    ['an alias', 'x: &d anchored\ndata_dir: *d\n'],
  ])('finds what the config pipeline finds, for %s', async (_what, text) => {
    const file = await write(`c-${text.length}.yaml`, text);
    const io = { env: {}, homeDir: dir };
    const loaded = await loadConfig({ path: file, env: {}, homeDir: dir });
    expect(await findDataDir(file, io)).toBe(loaded.config.dataDir);
  });

  it('follows K3SC_CONFIG, then ~/.k3sc.yaml, like the config loader', async () => {
    const file = await write('env.yaml', 'data_dir: /from/env\n');
    expect(await findDataDir(undefined, { env: { K3SC_CONFIG: file }, homeDir: dir })).toBe('/from/env');
    const home = await mkdtemp(join(dir, 'home-'));
    expect(await findDataDir(undefined, { env: {}, homeDir: home })).toBe(join(home, '.k3sc'));
    await writeFile(join(home, '.k3sc.yaml'), 'data_dir: mine\n');
    expect(await findDataDir(undefined, { env: {}, homeDir: home })).toBe(join(home, 'mine'));
  });

  it('gives up (main() reports it) on a missing explicit file, bad YAML or a non-string data_dir', async () => {
    const io = { env: {}, homeDir: dir };
    expect(await findDataDir(join(dir, 'missing.yaml'), io)).toBeUndefined();
    expect(await findDataDir(await write('bad.yaml', 'data_dir: [\n'), io)).toBeUndefined();
    expect(await findDataDir(await write('num.yaml', 'data_dir: 12\n'), io)).toBeUndefined();
    expect(await findDataDir(dir, io)).toBeUndefined();
  });
});

describe('parseForwardable', () => {
  /** The arguments main() hands a table command, from the real command table. */
  const viaTable = async (argv: string[]): Promise<{ name: string; args: Record<string, unknown> }> => {
    let got: { name: string; args: Record<string, unknown> } | undefined;
    const program = buildTableProgram(
      'k3sc',
      (spec, args) => {
        got = { name: spec.name, args };
        return Promise.resolve();
      },
      () => undefined,
    );
    program.option('-c, --config <file>').option('--log-level <level>', '', 'warn');
    await program.parseAsync(argv, { from: 'user' });
    if (!got) throw new Error('no command ran');
    return got;
  };

  it.each([
    ['top', '--once', '--json'],
    ['status'],
    ['status', 'acme/widgets#3'],
    ['logs', 'acme/widgets#3', '-f', '--tail', '20'],
    ['kill', '12', '--requeue'],
    ['reset', 'acme/widgets#3', '--to', 'ready'],
    ['scale', '4'],
    ['take', '--worker', 'claude-b', '--json'],
    ['--config', 'x.yaml', 'dispatch', '--dry-run'],
  ])('builds the same arguments as the command table for %s', async (...argv) => {
    const config = scanArgv(argv)?.config;
    expect(await parseForwardable(argv, config)).toEqual(await viaTable(argv));
  });

  it('refuses what commander refuses', async () => {
    expect(await parseForwardable(['kill'], undefined)).toBeUndefined();
    expect(await parseForwardable(['top', '--bogus'], undefined)).toBeUndefined();
    expect(await parseForwardable(['frobnicate'], undefined)).toBeUndefined();
  });
});
