import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  logIn as logInAt,
  phone as phoneOf,
  seriousViolations,
  shoot,
  startBrowserServe,
  type BrowserServe,
} from './__tests__/browser-kit.js';
import { waitFor } from '../__tests__/wait-for.js';
import { startCutProxy, type CutProxy } from './__tests__/cut-proxy.js';

/**
 * The dashboard in a real browser (Debian's chromium through playwright-core, never a
 * download) against `k3sc serve` in sandbox mode, through a proxy the test can cut.
 * Screenshots go to test-artifacts/ (gitignored); K3SC_UPDATE_SCREENSHOTS=1 also copies them
 * to docs/img/ (`npm run docs:screenshots`).
 */
const TICKS = 60;

let served: BrowserServe;
let proxy: CutProxy;

beforeAll(async () => {
  // The stub agent writes a numbered line every 150 ms, so the log is still growing when we cut.
  served = await startBrowserServe(
    `agents: { claude: { env: { K3SC_STUB_TICKS: "${TICKS}", K3SC_STUB_TICK_MS: "150" } } }\n`,
    [
      { name: 'olivia', password: 'operator-password', role: 'operator' },
      { name: 'victor', password: 'viewer-password', role: 'viewer' },
    ],
  );
  proxy = await startCutProxy(served.url);
}, 90_000);

afterAll(async () => {
  await proxy?.close();
  await served?.close();
});

const phone = (): Promise<Page> => phoneOf(served.browser);
const logIn = (page: Page, name: string, password: string): Promise<void> =>
  logInAt(page, proxy.url, name, password);

describe('the dashboard in a real browser (sandbox)', () => {
  it('logs in, shows the farm at 390×844 with no serious accessibility violations', async () => {
    const page = await phone();
    await logIn(page, 'olivia', 'operator-password');
    await expect.poll(() => page.getByRole('heading', { name: 'Farm', level: 1 }).count()).toBe(1);
    expect(await page.getByText('olivia (operator)').count()).toBe(1);
    await expect.poll(() => page.getAttribute('body', 'data-live'), { timeout: 10_000 }).toBe('on');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'dashboard-390x844.png');
    const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(scrollWidth).toBeLessThanOrEqual(390); // no sideways scrolling on a phone
    await page.context().close();
  });

  it('streams the attempt’s log live and, after the connection is cut, resumes with no line lost or repeated', async () => {
    const page = await phone();
    await logIn(page, 'olivia', 'operator-password');
    const issue = `${proxy.url}/issue?ref=${encodeURIComponent('sandbox/hello-k3sc#1')}`;
    // This test reads one attempt's log; the page's follower would reload it for the review
    // attempt that starts once this one ends (that behaviour is web-configs.browser.test.ts's).
    await page.route(
      (u) => u.pathname.endsWith('/issue/attempt'),
      (route) => route.fulfill({ json: {} }),
    );
    await waitFor('the sandbox attempt', async () => {
      await page.goto(issue);
      return (await page.locator('pre[data-log]').count()) > 0;
    });
    const lines = page.locator('pre[data-log] span[data-n]');
    await expect.poll(() => lines.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const before = await lines.count();
    const seen = proxy.accepted;
    proxy.cut(); // the EventSource drops and reconnects (retry: 3000) with its Last-Event-ID
    await expect.poll(() => page.getAttribute('body', 'data-live'), { timeout: 5_000 }).toBe('reconnecting');
    await expect
      .poll(() => page.getAttribute('pre[data-log]', 'data-ended'), { timeout: 30_000 })
      .toBe('yes');
    expect(proxy.accepted).toBeGreaterThan(seen);
    const numbers: number[] = await lines.evaluateAll((els: { getAttribute(n: string): string | null }[]) =>
      els.map((e) => Number(e.getAttribute('data-n'))),
    );
    expect(numbers.length).toBeGreaterThan(before);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1)); // 1, 2, 3, … with no gap and no repeat
    const text = await page.locator('pre[data-log]').innerText();
    const steps = [...text.matchAll(/working: step (\d+) of \d+/g)].map((m) => Number(m[1]));
    expect(steps).toEqual(Array.from({ length: TICKS }, (_, i) => i + 1));
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'issue-390x844.png');
    await page.context().close();
  });

  it('refuses a viewer’s kill', async () => {
    const page = await phone();
    await logIn(page, 'victor', 'viewer-password');
    await page.goto(`${proxy.url}/issue?ref=${encodeURIComponent('sandbox/hello-k3sc#1')}`);
    await page.getByRole('button', { name: 'Kill…' }).click();
    await page.getByRole('button', { name: 'Yes, kill' }).click();
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toContain('kill needs the operator role; you are viewer');
    await page.context().close();
  });
});
