import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K3scError } from '../core/errors.js';
import { buildRunner, type BuiltRunner } from '../runner/__tests__/build-runner.js';
import { MemoryLogger } from '../testing/memory-logger.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { postCommand, replyOf } from './__tests__/control-client.js';
import { signedDelivery } from './__tests__/github-signature.js';
import { runCli } from './__tests__/run-cli.js';
import { cleanEnv, tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { controlPath, readControlFile, type ControlInfo } from './control-file.js';
import { serve } from './serve.js';

const SECRET = 'test-webhook-secret-0123456789';

let runner: BuiltRunner;
let home: TempHome;
let config: K3scConfig;

interface Running {
  readonly done: Promise<void>;
  readonly abort: AbortController;
  readonly output: string[];
  readonly info: ControlInfo;
}

const startServe = async (): Promise<Running> => {
  const abort = new AbortController();
  const output: string[] = [];
  const done = serve({
    config,
    logger: new MemoryLogger(),
    write: (s) => void output.push(s),
    console: false,
    signal: abort.signal,
    runnerDir: dirname(runner.main),
  });
  done.catch(() => undefined);
  const info = await waitFor('serve.json', () => readControlFile(home.dataDir));
  return { done, abort, output, info };
};

let first: Running;

beforeAll(async () => {
  runner = await buildRunner();
  home = await tempHome();
  // No GitHub credentials: sandbox mode. A configured webhook secret is used by the sandbox too.
  config = (await home.load({ K3SC_WEBHOOK_SECRET: SECRET })).config;
  first = await startServe();
}, 60_000);

afterAll(async () => {
  first.abort.abort();
  await first.done.catch(() => undefined);
  await runner.cleanup();
  await home.cleanup();
});

const get = (path: string): Promise<Response> => fetch(`${first.info.url}${path}`);

describe('k3sc serve in sandbox mode', () => {
  it('announces the sandbox and its HTTP address', () => {
    const text = first.output.join('');
    expect(text).toContain('SANDBOX MODE: no GitHub credentials found');
    expect(text).toContain(`k3sc serve: local (sandbox) runtime, 1 repo(s), http ${first.info.url}`);
    expect(first.info.pid).toBe(process.pid);
  });

  it('answers /healthz, becomes ready, and 404s or 405s what it does not serve', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ ok: true });
    await waitFor('/readyz 200', async () => (await get('/readyz')).status === 200);
    expect((await get('/nope')).status).toBe(404);
    expect((await get('/webhooks/github')).status).toBe(405);
  });

  it('rejects unsigned and forged webhooks with 401, accepts a correctly signed one with 202', async () => {
    const good = signedDelivery(SECRET, { owner: 'sandbox', name: 'hello-k3sc' });
    const post = (headers: Record<string, string>) =>
      fetch(`${first.info.url}/webhooks/github`, { method: 'POST', headers, body: good.body });
    const { 'x-hub-signature-256': _sig, ...unsigned } = good.headers;
    expect((await post(unsigned)).status).toBe(401);
    const forged =
      signedDelivery('not-the-secret', { owner: 'sandbox', name: 'hello-k3sc' }).headers[
        'x-hub-signature-256'
      ] ?? '';
    expect((await post({ ...good.headers, 'x-hub-signature-256': forged })).status).toBe(401);
    expect((await post(good.headers)).status).toBe(202);
  });

  it('guards the control API: token, body shape, command name', async () => {
    expect((await postCommand(first.info, { command: 'top' }, 'wrong-token')).status).toBe(401);
    expect((await fetch(`${first.info.url}/api/command`, { method: 'POST', body: '{}' })).status).toBe(401);
    const malformed = await postCommand(first.info, '{not json');
    expect(malformed.status).toBe(400);
    expect(malformed.raw).toContain('bad control request');
    expect((await postCommand(first.info, { command: 7 })).status).toBe(400);
    expect((await postCommand(first.info, { command: 'top', args: [] })).status).toBe(400);
    expect((await postCommand(first.info, { command: 'frobnicate' })).status).toBe(404);
  });

  it('says what is wrong with a control request in words, not zod JSON', async () => {
    const errorOf = async (body: unknown): Promise<[number, string]> => {
      const r = await postCommand(first.info, body);
      return [r.status, (JSON.parse(r.raw) as { error: string }).error];
    };
    expect(await errorOf('{not json')).toEqual([400, 'bad control request: the body is not valid JSON']);
    expect(await errorOf({})).toEqual([400, 'bad control request: command: required, e.g. "top"']);
    expect(await errorOf({ command: 7, args: [] })).toEqual([
      400,
      'bad control request: command: must be a command name (a string), e.g. "top"; args: must be a mapping of argument names to values, e.g. {"issue": "acme/widgets#12"}',
    ]);
    expect(await errorOf([1])).toEqual([
      400,
      'bad control request: the body must be a JSON object like {"command": "top", "args": {}}',
    ]);
    const huge = await errorOf({ command: 'kill', args: { issue: 'x'.repeat(70_000) } });
    expect(huge[0]).toBe(413);
    expect(huge[1]).toMatch(/^bad control request: the body is larger than 64 KiB/);
    const long = replyOf(
      (await postCommand(first.info, { command: 'kill', args: { issue: `o/r#${'1'.repeat(5_000)}` } }))
        .records,
    );
    expect(long.exitCode).toBe(2);
    expect(long.data).toEqual({
      error: {
        code: 'bad_input',
        message: 'kill: issue: is 5,004 characters long; at most 4,096 are accepted',
      },
    });
  });

  it('runs top for the right token and answers NDJSON with a reply', async () => {
    const r = await postCommand(first.info, { command: 'top', args: { once: true } });
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/x-ndjson');
    const reply = replyOf(r.records);
    expect(reply.exitCode).toBe(0);
    expect(reply.text).toContain('runtime:  local (sandbox)');
    expect(reply.data).toMatchObject({ runtime: 'local (sandbox)', slots: { max: 5 } });
  });

  it('answers a bad argument through the control API as bad_input with exit code 2', async () => {
    const reply = replyOf(
      (await postCommand(first.info, { command: 'kill', args: { issue: 'nope' } })).records,
    );
    expect(reply.exitCode).toBe(2);
    expect(reply.data).toEqual({
      error: {
        code: 'bad_input',
        message: 'kill: issue: not an issue reference — write owner/repo#N (e.g. acme/widgets#12)',
      },
    });
  });

  it('runs the sample issue to needs-human and counts the transitions in /metrics', async () => {
    await waitFor(
      'needs-human and the review attempt finished',
      () => {
        const text = first.output.join('');
        return text.includes('→ needs-human') && text.includes('attempt sandbox-hello-k3sc-1-2 succeeded');
      },
      60_000,
    );
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/^k3sc_transitions_total\{to="needs-human"\} 1$/m);
    expect(metrics).toMatch(/^k3sc_transitions_total\{to="needs-review"\} 1$/m);
    expect(metrics).toMatch(/^k3sc_attempts_total\{event="succeeded"\} 2$/m);
    expect(metrics).toMatch(/^k3sc_scans_total [1-9]/m);
  }, 70_000);

  it('shows the finished attempts with status and logs, and streams a followed log as NDJSON lines', async () => {
    const status = replyOf(
      (await postCommand(first.info, { command: 'status', args: { issue: 'sandbox/hello-k3sc#1' } })).records,
    );
    expect(status.text).toMatch(/stage:\s+needs-human/);
    expect(status.text).toMatch(/sandbox-hello-k3sc-1-1\s+implement\s+claude-a\s+succeeded/);
    const logs = replyOf(
      (await postCommand(first.info, { command: 'logs', args: { issue: 'hello-k3sc#1', tail: '5' } }))
        .records,
    );
    expect(logs.data).toMatchObject({ attempt: 'sandbox-hello-k3sc-1-2', phase: 'succeeded' });
    expect((logs.data as { log: string }).log.trim().split('\n').length).toBeLessThanOrEqual(5);
    const followed = await postCommand(first.info, { command: 'logs', args: { issue: '1', follow: true } });
    expect(followed.records.filter((r) => r.type === 'line').length).toBeGreaterThan(0);
    expect(replyOf(followed.records).text).toBe('-- end of sandbox-hello-k3sc-1-2 --');
  });

  it('serves `top --once --json` of a second process through the control API', async () => {
    const r = await runCli(
      ['--config', home.configPath, 'top', '--once', '--json'],
      cleanEnv({ HOME: home.dir }),
    );
    expect(r.code, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as {
      runtime: string;
      slots: { max: number; used: number };
      pulls: unknown[];
    };
    // Only the serve has the sandbox; on its own the CLI would have failed for lack of credentials.
    expect(data.runtime).toBe('local (sandbox)');
    expect(data.slots).toEqual({ max: 5, used: 0 });
    expect(data.pulls).toHaveLength(1);
  });

  it('refuses a second serve on the same data dir without disturbing the first', async () => {
    const before = await readControlFile(home.dataDir);
    expect(existsSync(join(home.dataDir, 'sandbox', 'state.json.lock'))).toBe(true);
    const err: unknown = await serve({
      config,
      logger: new MemoryLogger(),
      write: () => undefined,
      console: false,
      signal: AbortSignal.timeout(30_000),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(K3scError);
    expect((err as K3scError).code).toBe('conflict');
    expect((err as K3scError).message).toContain(`already runs on data dir ${home.dataDir}`);
    expect(await readControlFile(home.dataDir)).toEqual(before);
    expect((await get('/healthz')).status).toBe(200);
  });

  it('stops on abort: removes serve.json, releases the state lock; a restart starts a fresh sandbox', async () => {
    expect(replyOf((await postCommand(first.info, { command: 'pause' })).records).text).toBe(
      'dispatch paused; running attempts continue',
    );
    first.abort.abort();
    await first.done;
    expect(existsSync(controlPath(home.dataDir))).toBe(false);
    expect(existsSync(join(home.dataDir, 'sandbox', 'state.json.lock'))).toBe(false);
    await expect(fetch(`${first.info.url}/healthz`)).rejects.toThrow();

    const second = await startServe();
    try {
      expect(second.info.token).not.toBe(first.info.token);
      const reply = replyOf((await postCommand(second.info, { command: 'top' })).records);
      // The fake GitHub is new on every start, so the sandbox's state is too (not the paused flag of the first).
      expect(reply.data).toMatchObject({ paused: false });
    } finally {
      second.abort.abort();
      await second.done;
    }
    expect(existsSync(controlPath(home.dataDir))).toBe(false);
  }, 60_000);
});
