import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './__tests__/run-cli.js';
import { cleanEnv, tempHome, type TempHome } from './__tests__/temp-home.js';
import { writeControlFile } from './control-file.js';

/** Stands in for `serve`'s control API: records each request, answers with `answer`. */
let server: Server;
let url: string;
let received: { auth: string | undefined; body: unknown }[] = [];
let answer: string[] = [];
let home: TempHome;
let hook: string;

const TOKEN = 'control-token-0123456789abcdef';

beforeAll(async () => {
  home = await tempHome();
  await mkdir(home.dataDir, { recursive: true });
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      received.push({ auth: req.headers.authorization, body: JSON.parse(raw) as unknown });
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(answer.map((l) => `${l}\n`).join(''));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Records every module the CLI process loads, so the test can say what the lean path avoided.
  const hooks = join(home.dir, 'hooks.mjs');
  await writeFile(
    hooks,
    "import { appendFileSync } from 'node:fs';\n" +
      'export async function resolve(s, c, next) { const r = await next(s, c); ' +
      'appendFileSync(process.env.MODULE_LOG, r.url + "\\n"); return r; }\n',
  );
  hook = join(home.dir, 'register.mjs');
  await writeFile(
    hook,
    `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`,
  );
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await home.cleanup();
});
beforeEach(async () => {
  received = [];
  answer = [JSON.stringify({ type: 'reply', text: 'all good', data: { ok: 1 }, exitCode: 0 })];
  await writeControlFile(home.dataDir, { pid: process.pid, url, token: TOKEN });
});

const cli = async (args: string[], logName?: string) => {
  const env = cleanEnv({
    HOME: home.dir,
    ...(logName ? { NODE_OPTIONS: `--import=${hook}`, MODULE_LOG: join(home.dir, logName) } : {}),
  });
  return runCli(['--config', home.configPath, ...args], env);
};

const modules = async (logName: string): Promise<string[]> =>
  (await readFile(join(home.dir, logName), 'utf8')).split('\n').filter(Boolean);

describe('the lean CLI path to a running serve', () => {
  it('forwards a table command with the arguments main() would build, and prints the reply', async () => {
    const r = await cli(['kill', 'acme/widgets#12', '--requeue'], 'kill.log');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('all good\n');
    expect(received).toEqual([
      {
        auth: `Bearer ${TOKEN}`,
        body: {
          command: 'kill',
          args: { issue: 'acme/widgets#12', requeue: true },
          user: expect.any(String),
        },
      },
    ]);
  });

  it('loads no Octokit, lowdb, pino, zod, YAML parser, config pipeline or main module', async () => {
    const r = await cli(['top', '--once'], 'top.log');
    expect(r.code, r.stderr).toBe(0);
    const loaded = await modules('top.log');
    expect(loaded.some((m) => m.endsWith('/dist/app/forward-cli.js'))).toBe(true);
    for (const heavy of [
      '@octokit',
      'lowdb',
      'pino',
      '/zod/',
      '/yaml/',
      '/adapters/config/index.js',
      '/dist/main.js',
    ])
      expect(
        loaded.filter((m) => m.includes(heavy)),
        heavy,
      ).toEqual([]);
  });

  it('streams lines, prints --json data, and passes the exit code and stderr of a failed command', async () => {
    answer = [
      JSON.stringify({ type: 'line', line: 'first' }),
      JSON.stringify({ type: 'line', line: 'second' }),
      JSON.stringify({ type: 'reply', text: '-- end --', data: null, exitCode: 0 }),
    ];
    const logs = await cli(['logs', 'acme/widgets#3', '-f']);
    expect(logs.stdout).toBe('first\nsecond\n-- end --\n');
    answer = [
      JSON.stringify({ type: 'reply', text: 'kill: no such issue', data: { error: 'x' }, exitCode: 2 }),
    ];
    const failed = await cli(['kill', 'acme/widgets#99']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe('kill: no such issue\n');
    expect(failed.stdout).toBe('');
    const json = await cli(['kill', 'acme/widgets#99', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: 'x' });
  });

  it('says so when the serve named in serve.json does not answer', async () => {
    await writeControlFile(home.dataDir, { pid: process.pid, url: 'http://127.0.0.1:9', token: TOKEN });
    const r = await cli(['status']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: k3sc serve \(pid \d+\) did not answer at http:\/\/127\.0\.0\.1:9/);
  });

  it('leaves a command to main() when no live serve owns the data dir', async () => {
    await writeControlFile(home.dataDir, { pid: 2 ** 22 + 12345, url, token: TOKEN });
    const r = await cli(['status'], 'oneshot.log');
    expect(received).toEqual([]);
    // main() ran it as a one-shot command, which needs GitHub credentials this test does not give.
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no GitHub credentials');
    expect((await modules('oneshot.log')).some((m) => m.endsWith('/dist/main.js'))).toBe(true);
  });
});
