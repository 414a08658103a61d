import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubFake } from '../../sandbox/github-fake/index.js';
import { MemoryLogger } from '../../testing/memory-logger.js';
import { tempHome, type TempHome } from '../__tests__/temp-home.js';
import { waitFor } from '../__tests__/wait-for.js';
import { readControlFile } from '../control-file.js';
import { serve } from '../serve.js';
import { CLIENT_ID, CLIENT_SECRET, signIn, startFake } from './__tests__/oauth-web.js';

/**
 * A real `k3sc serve` (not the sandbox: a token, github.url and github.api_url on the GitHub
 * fake) signs a user in with GitHub, is stopped and started again on the same data dir, and
 * the browser's cookie still opens the dashboard.
 */
let fake: GitHubFake;
let home: TempHome;
const TOKEN = 'bot-token-for-tests';

beforeAll(async () => {
  fake = await startFake();
  fake.addRepo({ owner: 'acme', name: 'widgets' });
  home = await tempHome(
    [
      `github_url: ${JSON.stringify(fake.url)}`,
      `github: { api_url: ${JSON.stringify(fake.url)} }`,
      'repos: [{ owner: acme, name: widgets }]',
      'allowed_authors: [alice]',
      `web: { github_oauth: { client_id: ${CLIENT_ID}, teams: [acme/ops] } }`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await fake.close();
  await home.cleanup();
});

const start = async (): Promise<{ url: string; stop: () => Promise<void> }> => {
  const { config } = await home.load({ GITHUB_TOKEN: TOKEN, K3SC_GITHUB_OAUTH_SECRET: CLIENT_SECRET });
  const abort = new AbortController();
  const done = serve({
    config,
    logger: new MemoryLogger(),
    write: () => undefined,
    console: false,
    signal: abort.signal,
  });
  done.catch(() => undefined);
  const info = await waitFor('serve.json', () => readControlFile(home.dataDir));
  return {
    url: info.url,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
};

describe('a GitHub login survives a restart of k3sc serve', () => {
  it('keeps the session in the state file (by hash) and honours the cookie after the restart', async () => {
    const first = await start();
    const flow = await signIn(first, 'tess');
    expect(flow.callback.status).toBe(303);
    const cookie = flow.session ?? '';
    expect((await fetch(`${first.url}/`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
    await first.stop();
    const state = await readFile(join(home.dataDir, 'state.json'), 'utf8');
    expect(state).toContain('web-session');
    expect(state).not.toContain(cookie.split('=')[1] ?? 'no-cookie');
    expect(state).not.toMatch(/gho_/);

    const second = await start();
    try {
      const page = await fetch(`${second.url}/`, { headers: { cookie }, redirect: 'manual' });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('tess (viewer)');
    } finally {
      await second.stop();
    }
  });
});
