import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  logIn,
  phone as phoneOf,
  seriousViolations,
  shoot,
  startBrowserServe,
  type BrowserServe,
} from './__tests__/browser-kit.js';

/**
 * The saved-config pages in a real browser (Debian's chromium through playwright-core) against
 * `k3sc serve` in sandbox mode: create a config, clone it, launch the clone, and watch the new
 * issue's attempt appear live on its page. Screenshots go to test-artifacts/ (and docs/img/
 * with K3SC_UPDATE_SCREENSHOTS=1), like web-dashboard.browser.test.ts.
 */
let served: BrowserServe;
let url: string;

beforeAll(async () => {
  // A numbered line every 150 ms: the launched attempt is still writing when the page follows it.
  served = await startBrowserServe(
    'agents: { claude: { env: { K3SC_STUB_TICKS: "30", K3SC_STUB_TICK_MS: "150" } } }\n',
    [{ name: 'olivia', password: 'operator-password', role: 'operator' }],
  );
  ({ url } = served);
}, 90_000);

afterAll(() => served?.close());

const phone = (): Promise<Page> => phoneOf(served.browser);

const noSidewaysScroll = async (page: Page): Promise<void> =>
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);

describe('saved configs and launch in a real browser (sandbox)', () => {
  it('creates, clones and launches a config, then follows the new attempt live', async () => {
    const page = await phone();
    await logIn(page, url, 'olivia', 'operator-password');

    await page.getByRole('link', { name: 'Configs' }).click();
    await page.waitForURL(`${url}/configs`);
    await page.getByRole('link', { name: 'New config' }).click();
    // A bad form first: the errors are on the fields, and the page stays accessible.
    await page.getByLabel('Name', { exact: true }).fill('greet');
    await page.getByLabel('Issue template').fill('Please {{titel}}');
    await page.getByRole('button', { name: 'Save config' }).click();
    await expect.poll(() => page.getByRole('alert').first().innerText()).toContain('Not saved');
    expect(await page.getByText('Repository is required: pick a repository').count()).toBe(1);
    expect(await page.getByText('Issue template unknown variable {{titel}}', { exact: false }).count()).toBe(
      1,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await noSidewaysScroll(page);
    await shoot(page, 'config-form-390x844.png');

    await page.getByLabel('Repository').selectOption('sandbox/hello-k3sc');
    await page.getByLabel('Agent family').selectOption('claude');
    await page.getByLabel('Issue template').fill('Please {{title}}.\n\n{{body}}');
    await page.getByLabel('Deadline').fill('30m');
    await page.getByRole('button', { name: 'Save config' }).click();
    await page.waitForURL(`${url}/configs/greet?saved=1`);
    expect(await page.getByRole('status').first().innerText()).toContain('Saved config greet.');
    expect(await seriousViolations(page)).toEqual([]);
    await noSidewaysScroll(page);

    await page.getByRole('link', { name: 'Configs' }).click();
    await page.getByRole('link', { name: 'clone greet' }).click();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('greet-copy');
    expect(await page.getByLabel('Deadline').inputValue()).toBe('30m');
    await page.getByRole('button', { name: 'Save config' }).click();
    await page.waitForURL(`${url}/configs/greet-copy?saved=1`);

    await page.getByRole('link', { name: 'Configs' }).click();
    expect(await page.getByRole('heading', { name: 'Saved agent configs (2)' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await noSidewaysScroll(page);
    await shoot(page, 'configs-390x844.png');

    // Claude (the config's family) is disabled while the issue is filed, so the issue page loads
    // before any attempt exists; enabling it lets the farm claim it, and the page must follow.
    const act = async (form: Record<string, string>): Promise<void> => {
      const csrf = (await page.getAttribute('meta[name="csrf-token"]', 'content')) ?? '';
      const res = await page.request.post(`${url}/action`, { form: { ...form, _csrf: csrf } });
      expect(res.status()).toBe(200);
    };
    await act({ action: 'disable', family: 'claude' });
    await page.getByRole('link', { name: 'show greet-copy' }).click();
    await page.getByLabel('Title (optional)').fill('Say hello from the browser');
    await page.getByRole('button', { name: 'Launch greet-copy' }).click();
    await page.waitForURL(/\/issue\?ref=sandbox%2Fhello-k3sc%23\d+$/);
    expect(await page.getByRole('heading', { name: 'Say hello from the browser' }).count()).toBe(1);
    expect(await page.getByText('No attempt yet').count()).toBe(1);
    await act({ action: 'enable', family: 'claude' });
    // The page follows the issue: once the farm claims it, the attempt's log streams in live.
    const lines = page.locator('pre[data-log] span[data-n]');
    await expect.poll(() => lines.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getAttribute('body', 'data-live'), { timeout: 10_000 }).toBe('on');
    // The follow is proven; from here the page must stay on this attempt (its follower would
    // reload it for the review attempt that starts once this one ends, under the checks below).
    await page.route(
      (u) => u.pathname.endsWith('/issue/attempt'),
      (route) => route.fulfill({ json: {} }),
    );
    await expect
      .poll(() => page.getAttribute('pre[data-log]', 'data-ended'), { timeout: 30_000 })
      .toBe('yes');
    const steps = [
      ...(await page.locator('pre[data-log]').innerText()).matchAll(/working: step (\d+) of \d+/g),
    ];
    expect(steps.map((m) => Number(m[1]))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await seriousViolations(page)).toEqual([]);
    // Dark mode: the same pages, the same check (colour contrast is the one that differs).
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const path of ['/configs', '/configs/greet']) {
      await page.goto(`${url}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await page.context().close();
  }, 120_000);
});
