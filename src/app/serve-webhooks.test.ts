import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import { MemoryLogger } from '../testing/memory-logger.js';
import { startRecordingProxy } from './__tests__/recording-proxy.js';
import { signedDelivery } from './__tests__/github-signature.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';
import { waitFor } from './__tests__/wait-for.js';
import { readControlFile, type ControlInfo } from './control-file.js';
import { serve } from './serve.js';

const SECRET = 'configured-webhook-secret-42';
const TOKEN = 'ghp_testtoken0123456789abcdefghijklmnopq';
const WIDGETS = { owner: 'acme', name: 'widgets' };
const GADGETS = { owner: 'acme', name: 'gadgets' };

let github: GitHubFake;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
let home: TempHome;
let info: ControlInfo;
const abort = new AbortController();
let done: Promise<void>;
const output: string[] = [];

const issueListings = (repo: { owner: string; name: string }, from = 0): number =>
  proxy.seen.slice(from).filter((r) => r.startsWith(`GET /repos/${repo.owner}/${repo.name}/issues?`)).length;

const scans = async (): Promise<number> => {
  const m = /^k3sc_scans_total (\d+)$/m.exec(await (await fetch(`${info.url}/metrics`)).text());
  return Number(m?.[1] ?? NaN);
};

beforeAll(async () => {
  github = await startGitHubFake({ tokens: { [TOKEN]: 'k3sc-bot' } });
  github.addRepo(WIDGETS);
  github.addRepo(GADGETS);
  proxy = await startRecordingProxy(github.url);
  // Real credentials (for the fake), a configured secret, and no idle scan during the test.
  home = await tempHome(
    `github: { api_url: ${JSON.stringify(proxy.url)} }\nrepos: [{ owner: acme, name: widgets }, { owner: acme, name: gadgets }]\n` +
      'allowed_authors: [alice]\nscan: { min_interval: 1h, max_interval: 2h }\n',
  );
  const { config } = await home.load({ GITHUB_TOKEN: TOKEN, K3SC_WEBHOOK_SECRET: SECRET });
  done = serve({
    config,
    logger: new MemoryLogger(),
    write: (s) => void output.push(s),
    console: false,
    signal: abort.signal,
  });
  done.catch(() => undefined);
  info = await waitFor('serve.json', () => readControlFile(home.dataDir));
  await waitFor('/readyz 200', async () => (await fetch(`${info.url}/readyz`)).status === 200);
  // The start-up passes are done and the loop sleeps until a trigger (nextScanAt is written last).
  await waitFor('the idle sleep', async () => {
    const state = JSON.parse(await readFile(join(home.dataDir, 'state.json'), 'utf8')) as {
      dispatch: { nextScanAt?: string };
    };
    return state.dispatch.nextScanAt !== undefined && (await scans()) >= 2;
  });
}, 60_000);

afterAll(async () => {
  abort.abort();
  await done.catch(() => undefined);
  await proxy.close();
  await github.close();
  await home.cleanup();
});

describe('k3sc serve with credentials and a configured webhook secret', () => {
  it('runs against the configured GitHub, not the sandbox', () => {
    const text = output.join('');
    expect(text).not.toContain('SANDBOX');
    expect(text).toContain(`k3sc serve: local runtime, 2 repo(s), http ${info.url}`);
    expect(proxy.seen).toContain('GET /user');
  });

  it('scans only the repository of a correctly signed delivery; forged and unsigned ones trigger nothing', async () => {
    const mark = proxy.seen.length;
    const before = await scans();
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${info.url}/webhooks/github`, { method: 'POST', headers, body });

    const forged = signedDelivery('guessed-secret', GADGETS);
    expect((await post(forged.body, forged.headers)).status).toBe(401);
    const { 'x-hub-signature-256': _s, ...unsigned } = forged.headers;
    expect((await post(forged.body, unsigned)).status).toBe(401);
    const tampered = signedDelivery(SECRET, WIDGETS);
    expect((await post(tampered.body.replace('widgets', 'gadgets'), tampered.headers)).status).toBe(401);

    const good = signedDelivery(SECRET, WIDGETS);
    const res = await post(good.body, good.headers);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true, message: 'accepted' });

    await waitFor('a scan after the signed delivery', async () => (await scans()) > before);
    expect(issueListings(WIDGETS, mark)).toBeGreaterThan(0);
    expect(issueListings(GADGETS, mark)).toBe(0);
  });

  it('answers 400 for a signed delivery that names no repository', async () => {
    const body = JSON.stringify({ action: 'opened' });
    const sig = signedDelivery(SECRET, WIDGETS);
    const headers = {
      ...sig.headers,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    };
    expect((await fetch(`${info.url}/webhooks/github`, { method: 'POST', headers, body })).status).toBe(400);
  });
});
