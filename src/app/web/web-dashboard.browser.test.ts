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
import { startCutProxy, type CutProxy } from './__tests__/cut-proxy.js';

/**
 * The dashboard in a real browser (Debian's chromium through playwright-core, never a
 * download) against `k3sc serve` in sandbox mode, through a proxy the test can cut.
 * Screenshots go to test-artifacts/ (gitignored); K3SC_UPDATE_SCREENSHOTS=1 also copies them
 * to docs/img/ (`npm run docs:screenshots`).
 */
const CHROMIUM = process.env['K3SC_CHROMIUM'] ?? '/usr/bin/chromium';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ARTEFACTS = join(ROOT, 'test-artifacts');
const TICKS = 60;

let runner: BuiltRunner;
let home: TempHome;
let browser: Browser;
let proxy: CutProxy;
const abort = new AbortController();
let done: Promise<void>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set K3SC_CHROMIUM)`);
  runner = await buildRunner();
  // The stub agent writes a numbered line every 150 ms, so the log is still growing when we cut.
  home = await tempHome(
    `agents: { claude: { env: { K3SC_STUB_TICKS: "${TICKS}", K3SC_STUB_TICK_MS: "150" } } }\n`,
  );
  const config = (await home.load({})).config;
  await addUser(config.web!.usersFile, { name: 'olivia', password: 'operator-password', role: 'operator' });
  await addUser(config.web!.usersFile, { name: 'victor', password: 'viewer-password', role: 'viewer' });
  done = serve({
    config,
    logger: new MemoryLogger(),
    write: () => undefined,
    console: false,
    signal: abort.signal,
    runnerDir: dirname(runner.main),
  });
  done.catch(() => undefined);
  const info = await waitFor('serve.json', () => readControlFile(home.dataDir));
  proxy = await startCutProxy(info.url);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  await mkdir(ARTEFACTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
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

const logIn = async (page: Page, name: string, password: string): Promise<void> => {
  await page.goto(`${proxy.url}/login`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${proxy.url}/`);
};

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical violations on the page (none allowed). */
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

const shoot = async (page: Page, name: string): Promise<void> => {
  const file = join(ARTEFACTS, name);
  await page.screenshot({ path: file, fullPage: false });
  if (process.env['K3SC_UPDATE_SCREENSHOTS'] === '1') {
    await mkdir(join(ROOT, 'docs/img'), { recursive: true });
    await copyFile(file, join(ROOT, 'docs/img', name));
  }
};

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
