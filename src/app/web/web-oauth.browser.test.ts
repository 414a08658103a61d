import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTEFACTS,
  phone as phoneOf,
  startBrowserServe,
  type BrowserServe,
} from './__tests__/browser-kit.js';

/**
 * "Sign in with GitHub" in a real browser (Debian's chromium through playwright-core) against
 * `k3sc serve` in sandbox mode, whose built-in GitHub fake plays GitHub's OAuth pages: the
 * button, the fake's authorize form, the callback, the dashboard as the GitHub login.
 */
let served: BrowserServe;
let url: string;

beforeAll(async () => {
  served = await startBrowserServe(
    'web: { base_path: /k3sc, github_oauth: { client_id: Iv1.sandbox-app } }\n',
  );
  url = `${served.url}/k3sc`;
}, 90_000);

afterAll(() => served?.close());

const phone = (): Promise<Page> => phoneOf(served.browser);

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
