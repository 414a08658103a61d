import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { K3scConfig } from '../../adapters/config/index.js';
import { buildRunner, type BuiltRunner } from '../../runner/__tests__/build-runner.js';
import { MemoryLogger } from '../../testing/memory-logger.js';
import { tempHome, type TempHome } from '../__tests__/temp-home.js';
import { waitFor } from '../__tests__/wait-for.js';
import { readControlFile, type ControlInfo } from '../control-file.js';
import { serve } from '../serve.js';
import { addUser } from './users-file.js';
import { WebClient } from './__tests__/web-client.js';

let runner: BuiltRunner;
let home: TempHome;
let config: K3scConfig;
let info: ControlInfo;
const abort = new AbortController();
let done: Promise<void>;
const output: string[] = [];
const logger = new MemoryLogger();
let usersFile: string;

beforeAll(async () => {
  runner = await buildRunner();
  home = await tempHome('web: { base_path: /k3sc }\n');
  config = (await home.load({})).config;
  usersFile = config.web!.usersFile;
  done = serve({
    config,
    logger,
    write: (s) => void output.push(s),
    console: false,
    signal: abort.signal,
    runnerDir: dirname(runner.main),
  });
  done.catch(() => undefined);
  info = await waitFor('serve.json', () => readControlFile(home.dataDir));
}, 60_000);

afterAll(async () => {
  abort.abort();
  await done.catch(() => undefined);
  await runner.cleanup();
  await home.cleanup();
});

const client = (): WebClient => new WebClient(`${info.url}/k3sc`);

describe('the web dashboard in k3sc serve (sandbox)', () => {
  it('prints the dashboard URL under the base path', () => {
    expect(output.join('')).toContain(`k3sc dashboard: ${info.url}/k3sc/`);
    expect(usersFile).toBe(join(home.dataDir, 'web-users.json'));
  });

  it('with no users, opens read-only for localhost, says so, and refuses actions', async () => {
    const c = client();
    const page = await c.get('/');
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('this page is read-only for localhost');
    expect(text).toContain('class="read-only"');
    expect(text).toContain('sandbox/hello-k3sc');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(text)?.[1] ?? '';
    const act = await c.post('/action', { action: 'pause', _csrf: csrf });
    expect(act.status).toBe(401);
    expect(await act.text()).toContain('log in to change anything');
    const css = await c.get('/static/web.css');
    expect(css.status).toBe(200);
    expect((await c.get('/static/htmx.min.js')).status).toBe(200);
  });

  it('with users, sends strangers to the login page and refuses bad logins, then rate limits them', async () => {
    await addUser(usersFile, { name: 'vic', password: 'viewer-password', role: 'viewer' });
    await addUser(usersFile, { name: 'ops', password: 'operator-password', role: 'operator' });
    const c = client();
    const home = await c.get('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/k3sc/login');
    expect((await c.get('/events?dash=1')).status).toBe(401);
    expect((await c.post('/login', { name: 'ops', password: 'operator-password' })).status).toBe(403);
    const csrf = await c.csrf();
    const wrong = await c.post('/login', { name: 'vic', password: 'nope', _csrf: csrf });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('wrong user name or password');
    for (let i = 0; i < 4; i++) await c.post('/login', { name: 'vic', password: 'nope', _csrf: csrf });
    const limited = await c.post('/login', { name: 'vic', password: 'viewer-password', _csrf: csrf });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('too many failed logins');
  });

  it('logs an operator in with an HttpOnly SameSite cookie; CSRF and bad forms do nothing; actions are audited', async () => {
    const c = client();
    const res = await c.login('ops', 'operator-password');
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((s) => s.startsWith('k3sc_session=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toContain('Path=/k3sc');
    const page = await (await c.get('/')).text();
    expect(page).toContain('ops (operator)');
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? '';
    const forged = await c.post('/action', { action: 'dispatch', _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('CSRF check failed');
    const badForm = await c.post('/action', { action: 'scale', slots: 'lots', _csrf: csrf });
    expect(badForm.status).toBe(400);
    expect(await badForm.text()).toContain('whole number of slots');
    const confirm = await c.post('/action', { action: 'kill', issue: 'sandbox/hello-k3sc#1', _csrf: csrf });
    expect(await confirm.text()).toContain('Are you sure?');
    const dispatched = await c.post('/action', { action: 'dispatch', _csrf: csrf });
    expect(dispatched.status).toBe(200);
    const entries = logger.entries.filter(
      (e) => (e.obj as { audit?: { actor?: string } }).audit?.actor === 'web:ops',
    );
    expect(entries.map((e) => (e.obj as { audit: { command: string } }).audit.command)).toContain('dispatch');
    expect(entries.some((e) => (e.obj as { audit: { command: string } }).audit.command === 'scale')).toBe(
      false,
    );
  });

  it('refuses a viewer’s kill through the role rules and audits the refusal', async () => {
    const c = client();
    // vic is rate limited by the test above; val is another viewer.
    await addUser(usersFile, { name: 'val', password: 'viewer-password', role: 'viewer' });
    expect((await c.login('val', 'viewer-password')).status).toBe(303);
    const page = await (await c.get('/')).text();
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? '';
    const kill = await c.post('/action', {
      action: 'kill',
      issue: 'sandbox/hello-k3sc#1',
      confirm: 'yes',
      _csrf: csrf,
    });
    expect(kill.status).toBe(403);
    expect(await kill.text()).toContain('kill needs the operator role; you are viewer');
    const audit = logger.entries
      .map((e) => (e.obj as { audit?: { actor: string; command: string; result: string } }).audit)
      .find((a) => a?.actor === 'web:val');
    expect(audit).toMatchObject({ command: 'kill', result: 'forbidden' });
  });

  it('asks on the page before pause and scale, then runs them (no chat card nobody could click)', async () => {
    const c = client();
    await addUser(usersFile, { name: 'adm', password: 'admin-password', role: 'admin' });
    expect((await c.login('adm', 'admin-password')).status).toBe(303);
    const page = await (await c.get('/')).text();
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? '';
    const ask = await c.post('/action', { action: 'pause', _csrf: csrf });
    expect(await ask.text()).toContain('Pause the farm?');
    const results = (): string[] =>
      logger.entries
        .map((e) => (e.obj as { audit?: { actor: string; command: string; result: string } }).audit)
        .filter((a) => a?.actor === 'web:adm')
        .map((a) => `${a?.command} ${a?.result}`);
    expect(results()).toEqual([]); // asking ran nothing
    expect((await c.post('/action', { action: 'pause', confirm: 'yes', _csrf: csrf })).status).toBe(200);
    expect(
      (await c.post('/action', { action: 'scale', slots: '3', confirm: 'yes', _csrf: csrf })).status,
    ).toBe(200);
    expect((await c.post('/action', { action: 'resume', _csrf: csrf })).status).toBe(200);
    expect(results()).toEqual(['pause ok', 'scale ok', 'resume ok']);
  });

  it('shows an issue page, the usage page and the plain log; a bad reference is a clear 400', async () => {
    const c = client();
    expect((await c.login('ops', 'operator-password')).status).toBe(303);
    const issue = await c.get(`/issue?ref=${encodeURIComponent('sandbox/hello-k3sc#1')}`);
    expect(issue.status).toBe(200);
    const text = await issue.text();
    expect(text).toContain('Add a friendly greeting');
    expect(text).toContain('Hand-off');
    expect(text).toContain('Attempts (');
    const bad = await c.get('/issue?ref=%3Cscript%3E');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('give an issue like owner/repo#12');
    const missing = await c.get(`/issue?ref=${encodeURIComponent('other/repo#5')}`);
    expect(missing.status).toBeGreaterThanOrEqual(400);
    const usage = await c.get('/usage');
    expect(usage.status).toBe(200);
    expect(await usage.text()).toContain('by model');
    const log = await c.get(`/log?ref=${encodeURIComponent('sandbox/hello-k3sc#1')}`);
    expect(log.headers.get('content-type')).toContain('text/plain');
  });

  it('serves the saved-config pages under the base path', async () => {
    const c = client();
    expect((await c.login('ops', 'operator-password')).status).toBe(303);
    const list = await (await c.get('/configs')).text();
    expect(list).toContain('href="/k3sc/configs/new"');
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(list)?.[1] ?? '';
    const saved = await c.post('/configs/new', {
      name: 'base-path',
      repo: 'sandbox/hello-k3sc',
      family: 'claude',
      _csrf: csrf,
    });
    expect(saved.headers.get('location')).toBe('/k3sc/configs/base-path?saved=1');
    const page = await (await c.get('/configs/base-path')).text();
    expect(page).toContain('action="/k3sc/configs/base-path/launch"');
    const issue = await (await c.get(`/issue?ref=${encodeURIComponent('sandbox/hello-k3sc#1')}`)).text();
    expect(issue).toContain('data-follow="/k3sc/issue/attempt?ref=sandbox%2Fhello-k3sc%231"');
    expect((await c.get('/static/issue-follow.js')).status).toBe(200);
    expect((await c.get('/static/configs.css')).status).toBe(200);
  });

  it('streams events to a logged-in page and logs out', async () => {
    const c = client();
    expect((await c.login('ops', 'operator-password')).status).toBe(303);
    const ac = new AbortController();
    const res = await fetch(`${c.url}/events?dash=1&at=0`, {
      headers: { cookie: c.cookie },
      signal: ac.signal,
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: dashboard'))
      text += new TextDecoder().decode((await reader.read()).value as Uint8Array);
    ac.abort();
    expect(text.startsWith('retry: 3000')).toBe(true);
    const csrf = await c.csrf('/');
    expect((await c.post('/logout', { _csrf: csrf })).status).toBe(303);
    expect((await c.get('/')).status).toBe(303);
  });
});
