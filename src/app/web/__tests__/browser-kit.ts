import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildRunner } from '../../../runner/__tests__/build-runner.js';
import { MemoryLogger } from '../../../testing/memory-logger.js';
import { tempHome, type TempHome } from '../../__tests__/temp-home.js';
import { waitFor } from '../../__tests__/wait-for.js';
import { readControlFile } from '../../control-file.js';
import { serve } from '../../serve.js';
import { addUser } from '../users-file.js';

/** What the browser tests share: Debian's chromium, a phone viewport, axe-core, screenshots. */
export const CHROMIUM = process.env['K3SC_CHROMIUM'] ?? '/usr/bin/chromium';
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const ARTEFACTS = join(ROOT, 'test-artifacts');

/** A 390×844 page (bypassCSP only so axe-core can be injected; the page runs under its CSP). */
export const phone = async (browser: Browser): Promise<Page> => {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    bypassCSP: true,
  });
  return ctx.newPage();
};

export const logIn = async (page: Page, base: string, name: string, password: string): Promise<void> => {
  await page.goto(`${base}/login`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${base}/`);
};

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical violations on the page (none allowed). */
export const seriousViolations = async (page: Page): Promise<string[]> => {
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

/** A screenshot in test-artifacts/; with K3SC_UPDATE_SCREENSHOTS=1 also in docs/img/. */
export const shoot = async (page: Page, name: string): Promise<void> => {
  await mkdir(ARTEFACTS, { recursive: true });
  const file = join(ARTEFACTS, name);
  await page.screenshot({ path: file, fullPage: false });
  if (process.env['K3SC_UPDATE_SCREENSHOTS'] === '1') {
    await mkdir(join(ROOT, 'docs/img'), { recursive: true });
    await copyFile(file, join(ROOT, 'docs/img', name));
  }
};

export interface BrowserUser {
  readonly name: string;
  readonly password: string;
  readonly role: 'viewer' | 'operator' | 'admin';
}

export interface BrowserServe {
  readonly home: TempHome;
  readonly browser: Browser;
  /** serve's own address (no base path). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `k3sc serve` in sandbox mode with `yaml` as its config, `users` in its users file, the stub
 * runner from this build, and Debian's chromium: what every browser test starts from.
 * `prepare` runs before the config is loaded (files the test needs in the temp home).
 */
export const startBrowserServe = async (
  yaml: string,
  users: readonly BrowserUser[] = [],
  prepare?: (home: TempHome) => Promise<void>,
): Promise<BrowserServe> => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set K3SC_CHROMIUM)`);
  const runner = await buildRunner();
  const home = await tempHome(yaml);
  await prepare?.(home);
  const config = (await home.load({})).config;
  for (const u of users) await addUser(config.web!.usersFile, u);
  const abort = new AbortController();
  const done = serve({
    config,
    logger: new MemoryLogger(),
    write: () => undefined,
    console: false,
    signal: abort.signal,
    runnerDir: dirname(runner.main),
  });
  done.catch(() => undefined);
  const { url } = await waitFor('serve.json', () => readControlFile(home.dataDir));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  await mkdir(ARTEFACTS, { recursive: true });
  return {
    home,
    browser,
    url,
    close: async () => {
      await browser.close();
      abort.abort();
      await done.catch(() => undefined);
      await runner.cleanup();
      await home.cleanup();
    },
  };
};
