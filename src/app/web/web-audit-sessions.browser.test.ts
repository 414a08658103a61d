import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  logIn,
  phone,
  seriousViolations,
  shoot,
  startBrowserServe,
  type BrowserServe,
} from './__tests__/browser-kit.js';

/**
 * The sessions and audit pages and the pushed dashboard in a real browser (Debian's chromium
 * through playwright-core) against `k3sc serve` in sandbox mode. Claude Code's directory is a
 * temp one holding a session file for this very process (alive) and its transcript.
 */
let served: BrowserServe;
let browser: Browser;
let url: string;

beforeAll(async () => {
  // The sandbox attempt writes a line every 100 ms for 12 s: long enough to watch it end.
  served = await startBrowserServe(
    'agents: { claude: { env: { K3SC_STUB_TICKS: "120", K3SC_STUB_TICK_MS: "100" } } }\n',
    [
      { name: 'ada', password: 'admin-password', role: 'admin' },
      { name: 'olivia', password: 'operator-password', role: 'operator' },
    ],
    async (home) => {
      const claude = join(home.dir, 'claude');
      await mkdir(join(claude, 'sessions'), { recursive: true });
      await mkdir(join(claude, 'projects', '-work-demo'), { recursive: true });
      await writeFile(
        join(claude, 'sessions', `${process.pid}.json`),
        JSON.stringify({ sessionId: 'sess-demo', cwd: '/work/demo', startedAt: Date.now() - 20 * 60_000 }),
      );
      await writeFile(
        join(claude, 'projects', '-work-demo', 'sess-demo.jsonl'),
        `${JSON.stringify({
          type: 'assistant',
          sessionId: 'sess-demo',
          timestamp: new Date(Date.now() - 10 * 60_000).toISOString(),
          requestId: 'r1',
          message: {
            id: 'm1',
            model: 'claude-sonnet-4-5',
            usage: { input_tokens: 200_000, output_tokens: 20_000 },
          },
        })}\n`,
      );
      process.env['CLAUDE_CONFIG_DIR'] = claude;
    },
  );
  ({ browser, url } = served);
}, 90_000);

afterAll(() => served?.close());

describe('sessions, audit and the pushed dashboard in a real browser (sandbox)', () => {
  it('updates the dashboard after engine transitions and a command, without a reload; the admin audits the click', async () => {
    const watcher = await phone(browser);
    await logIn(watcher, url, 'olivia', 'operator-password');
    await watcher.evaluate(() => ((globalThis as unknown as { marker: string }).marker = 'same page'));
    await expect.poll(() => watcher.getAttribute('body', 'data-live'), { timeout: 10_000 }).toBe('on');
    // The sandbox attempt is dispatched (attempt-started), runs and ends (attempt-finished, transitions).
    const running = watcher.locator('#h-run');
    await expect.poll(() => running.innerText(), { timeout: 20_000 }).toBe('Running (1)');
    await expect.poll(() => running.innerText(), { timeout: 30_000 }).toBe('Running (0)');
    // A command from another browser: the audit hook pushes the dashboard too.
    const admin = await phone(browser);
    await logIn(admin, url, 'ada', 'admin-password');
    expect(await admin.getByRole('link', { name: 'Audit' }).count()).toBe(1);
    expect(await watcher.getByRole('link', { name: 'Audit' }).count()).toBe(0); // operators: no link
    // (pause and scale wait for a second admin's confirmation from the web too; disable runs at once)
    await admin.getByRole('button', { name: 'Disable claude' }).click();
    await expect.poll(() => admin.locator('main').innerText()).toContain('Done');
    await expect
      .poll(() => watcher.getByRole('button', { name: 'Enable claude' }).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await watcher.evaluate(() => (globalThis as unknown as { marker?: string }).marker)).toBe(
      'same page',
    );
    await admin.goto(`${url}/audit?since=10m`);
    const first = admin.locator('ol.audit > li').first();
    expect(await first.innerText()).toMatch(/web:ada\s+in web\s+ok\s+disable/);
    expect(await seriousViolations(admin)).toEqual([]);
    await shoot(admin, 'audit-390x844.png');
    // An operator asking for the audit log is told which role it needs.
    await watcher.goto(`${url}/audit`);
    expect(await watcher.getByRole('alert').innerText()).toContain(
      'the audit log needs the admin role; you are operator',
    );
    await watcher.context().close();
    await admin.context().close();
  });

  it('shows the local sessions live, with no serious accessibility violations', async () => {
    const page = await phone(browser);
    await logIn(page, url, 'olivia', 'operator-password');
    await page.getByRole('link', { name: 'Sessions' }).click();
    await expect.poll(() => page.getAttribute('body', 'data-live'), { timeout: 10_000 }).toBe('on');
    const text = await page.locator('#live-dash').innerText();
    expect(text).toContain(`pid ${process.pid}`);
    expect(text).toContain('sess-demo');
    expect(text).toContain('/work/demo');
    expect(text).toContain('200k in / 20k out');
    expect(text).toContain('projected');
    expect(await seriousViolations(page)).toEqual([]);
    const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(scrollWidth).toBeLessThanOrEqual(390);
    await shoot(page, 'sessions-390x844.png');
    await page.context().close();
  });
});
