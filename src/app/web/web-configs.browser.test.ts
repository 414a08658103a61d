import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
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
import { addUser } from './users-file.js';

/**
 * The saved-config pages in a real browser (Debian's chromium through playwright-core) against
 * `k3sc serve` in sandbox mode: create a config, clone it, launch the clone, and watch the new
 * issue's attempt appear live on its page. Screenshots go to test-artifacts/ (and docs/img/
 * with K3SC_UPDATE_SCREENSHOTS=1), like web-dashboard.browser.test.ts.
 */
const CHROMIUM = process.env['K3SC_CHROMIUM'] ?? '/usr/bin/chromium';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ARTEFACTS = join(ROOT, 'test-artifacts');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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
  // A numbered line every 150 ms: the launched attempt is still writing when the page follows it.
  home = await tempHome('agents: { claude: { env: { K3SC_STUB_TICKS: "30", K3SC_STUB_TICK_MS: "150" } } }\n');
  const config = (await home.load({})).config;
  await addUser(config.web!.usersFile, { name: 'olivia', password: 'operator-password', role: 'operator' });
  done = serve({
    config,
    logger: new MemoryLogger(),
    write: () => undefined,
    console: false,
    signal: abort.signal,
    runnerDir: dirname(runner.main),
  });
  done.catch(() => undefined);
  url = (await waitFor('serve.json', () => readControlFile(home.dataDir))).url;
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

const phone = async (): Promise<Page> => {
  // bypassCSP only so the test can inject axe-core; the page itself runs under its CSP.
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    bypassCSP: true,
  });
  return ctx.newPage();
};

const seriousViolations = async (page: Page): Promise<string[]> => {
  await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: () => Promise<{ violations: { id: string; impact: string; help: string }[] }> };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}`);
};

const noSidewaysScroll = async (page: Page): Promise<void> =>
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);

const shoot = async (page: Page, name: string): Promise<void> => {
  const file = join(ARTEFACTS, name);
  await page.screenshot({ path: file, fullPage: false });
  if (process.env['K3SC_UPDATE_SCREENSHOTS'] === '1') {
    await mkdir(join(ROOT, 'docs/img'), { recursive: true });
    await copyFile(file, join(ROOT, 'docs/img', name));
  }
};

describe('saved configs and launch in a real browser (sandbox)', () => {
  it('creates, clones and launches a config, then follows the new attempt live', async () => {
    const page = await phone();
    await page.goto(`${url}/login`);
    await page.getByLabel('User name').fill('olivia');
    await page.getByLabel('Password').fill('operator-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${url}/`);

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
