// `npm run docs:pictures`: runs `k3sc demo --chat slack` and `--chat discord` in-process (the
// built dist), copies their HTML transcripts to docs/img/ and screenshots them with
// playwright-core and the system Chromium (/usr/bin/chromium, or $CHROMIUM).
import { copyFile, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { loadConfig } from '../dist/adapters/config/index.js';
import { runDemo } from '../dist/app/demo.js';
import { silentLogger } from '../dist/core/ports/logger.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const img = join(root, 'docs', 'img');
await mkdir(img, { recursive: true });
const home = await mkdtemp(join(tmpdir(), 'k3sc-pictures-'));
const configPath = join(home, 'k3sc.yaml');
await writeFile(configPath, `data_dir: ${JSON.stringify(join(home, 'data'))}\n`);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
try {
  for (const platform of ['slack', 'discord']) {
    const { config } = await loadConfig({ path: configPath, env: {}, homeDir: home });
    const result = await runDemo({
      config,
      logger: silentLogger,
      write: () => undefined,
      timeoutMs: 120_000,
      runnerDir: join(root, 'dist', 'runner'),
      chat: platform,
    });
    const html = join(img, `chat-${platform}.html`);
    await copyFile(result.transcript, html);
    const page = await browser.newPage({ viewport: { width: 760, height: 600 } });
    await page.goto(`file://${html}`);
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    const sections = await page.locator('section').all();
    await sections[0].screenshot({ path: join(img, `chat-${platform}-thread.png`) });
    await sections[2].screenshot({ path: join(img, `chat-${platform}-top.png`) });
    await page.close();
    console.log(`docs/img/chat-${platform}-thread.png, docs/img/chat-${platform}-top.png`);
  }
} finally {
  await browser.close();
  await rm(home, { recursive: true, force: true });
}
