import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from '../../runner/__tests__/build-runner.js';
import { MemoryLogger } from '../../testing/memory-logger.js';
import { tempHome, type TempHome } from '../__tests__/temp-home.js';
import { waitFor } from '../__tests__/wait-for.js';
import { readControlFile } from '../control-file.js';
import { serve } from '../serve.js';

/**
 * "Sign in with GitHub" in a real browser (Debian's chromium through playwright-core) against
 * `k3sc serve` in sandbox mode, whose built-in GitHub fake plays GitHub's OAuth pages: the
 * button, the fake's authorize form, the callback, the dashboard as the GitHub login.
 */
const CHROMIUM = process.env['K3SC_CHROMIUM'] ?? '/usr/bin/chromium';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ARTEFACTS = join(ROOT, 'test-artifacts');

let runner: BuiltRunner;
let home: TempHome;
let browser: Browser;
let url: string;
const abort = new AbortController();
let done: Promise<void>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set K3SC_CHROMIUM)`);
  runner = await buildRunner();
  home = await tempHome('web: { base_path: /k3sc, github_oauth: { client_id: Iv1.sandbox-app } }\n');
  const config = (await home.load({})).config;
  done = serve({
    config,
    logger: new MemoryLogger(),
    write: () => undefined,
    console: false,
    signal: abort.signal,
    runnerDir: dirname(runner.main),
  });
  done.catch(() => undefined);
  url = `${(await waitFor('serve.json', () => readControlFile(home.dataDir))).url}/k3sc`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  await mkdir(ARTEFACTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  abort.abort();
  await done?.catch(() => undefined);
  await runner?.cleanup();
  await home?.cleanup();
});

const phone = async (): Promise<Page> =>
  (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();

/** From k3sc's login page through the fake's authorize form as `login`. */
const signInAs = async (page: Page, login: string): Promise<void> => {
  await page.goto(`${url}/`);
  await page.waitForURL(`${url}/login`);
  await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
  await page.getByLabel('GitHub login').fill(login);
  await page.getByRole('button', { name: 'Authorize' }).click();
};

describe('GitHub OAuth in a real browser (sandbox)', () => {
  it('signs in through the fake GitHub as a login of allowed_authors, and logs out', async () => {
    const page = await phone();
    await signInAs(page, 'sandbox-user');
    await page.waitForURL(`${url}/`);
    await expect.poll(() => page.getByRole('heading', { name: 'Farm', level: 1 }).count()).toBe(1);
    expect(await page.getByText(/sandbox-user \((viewer|operator|admin)\)/).count()).toBe(1);
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => c.name)).toContain('k3sc_session');
    expect(cookies.find((c) => c.name === 'k3sc_session')?.httpOnly).toBe(true);
    expect(cookies.map((c) => c.name)).not.toContain('k3sc_oauth_state'); // used once, then cleared
    await page.screenshot({ path: join(ARTEFACTS, 'oauth-signed-in-390x844.png') });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${url}/login`);
    await page.goto(`${url}/`);
    await page.waitForURL(`${url}/login`);
    await page.context().close();
  });

  it('refuses a login that is neither in allowed_authors nor a team, with a clear page', async () => {
    const page = await phone();
    await signInAs(page, 'mallory');
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('mallory may not sign in here');
    await page.goto(`${url}/`);
    await page.waitForURL(`${url}/login`);
    await page.context().close();
  });
});
