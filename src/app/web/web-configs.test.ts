import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from '../../runner/__tests__/build-runner.js';
import { MemoryLogger } from '../../testing/memory-logger.js';
import { tempHome, type TempHome } from '../__tests__/temp-home.js';
import { waitFor } from '../__tests__/wait-for.js';
import { readControlFile, type ControlInfo } from '../control-file.js';
import { serve } from '../serve.js';
import { addUser } from './users-file.js';
import { WebClient } from './__tests__/web-client.js';

/** The saved-config pages against `k3sc serve` in sandbox mode: forms, refusals, audit, launch. */
let runner: BuiltRunner;
let home: TempHome;
let info: ControlInfo;
const abort = new AbortController();
let done: Promise<void>;
const logger = new MemoryLogger();
const REPO = 'sandbox/hello-k3sc';

beforeAll(async () => {
  runner = await buildRunner();
  home = await tempHome();
  const config = (await home.load({})).config;
  await addUser(config.web!.usersFile, { name: 'ops', password: 'operator-password', role: 'operator' });
  await addUser(config.web!.usersFile, { name: 'vic', password: 'viewer-password', role: 'viewer' });
  done = serve({
    config,
    logger,
    write: () => undefined,
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

const csrfOf = (page: string): string => /name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? '';

const as = async (name: string, password: string): Promise<{ c: WebClient; csrf: string }> => {
  const c = new WebClient(info.url);
  expect((await c.login(name, password)).status).toBe(303);
  return { c, csrf: csrfOf(await (await c.get('/configs')).text()) };
};

const good = { name: 'fix-flaky', repo: REPO, family: 'claude', template: 'Fix: {{title}}\n\n{{body}}' };

const audits = (actor: string) =>
  logger.entries
    .map((e) => (e.obj as { audit?: { actor: string; command: string; result: string } }).audit)
    .filter((a) => a?.actor === actor);

/** Is there a saved config of that name (its page answers 200)? */
const exists = async (c: WebClient, name: string): Promise<boolean> =>
  (await c.get(`/configs/${name}`)).status === 200;

describe('saved configs on the page (sandbox serve)', () => {
  it('lists none at first, links Configs in the navigation, offers the farm’s repos and families', async () => {
    const { c } = await as('ops', 'operator-password');
    const list = await (await c.get('/configs')).text();
    expect(list).toContain('No saved configs yet.');
    expect(list).toMatch(/<a href="\/configs"\s+aria-current="page">Configs<\/a>/);
    const form = await (await c.get('/configs/new')).text();
    expect(form).toContain(`<option value="${REPO}"`);
    expect(form).toContain('<option value="claude"');
    expect(form).toContain('<option value="codex"');
  });

  it('refuses every bad create with a message on the field, and saves nothing', async () => {
    const { c, csrf } = await as('ops', 'operator-password');
    const cases: [Record<string, string>, string][] = [
      [{ repo: '' }, 'Repository is required: pick a repository'],
      [{ repo: 'other/repo' }, 'Repository is not a configured repository (sandbox/hello-k3sc)'],
      [{ family: 'gemini' }, 'Agent family is not a configured family'],
      [{ template: 'Fix {{titel}}' }, 'Issue template unknown variable {{titel}}'],
      [{ maxTurns: '5000' }, 'Max turns must be at most 1000'],
      [{ deadline: '10s' }, 'Deadline must be at least 1m'],
      [{ budget: '0' }, 'Budget (USD) must be more than 0'],
      [{ name: 'Bad Name' }, 'Name must be lowercase letters'],
    ];
    for (const [change, message] of cases) {
      const res = await c.post('/configs/new', { ...good, ...change, _csrf: csrf });
      expect(res.status, JSON.stringify(change)).toBe(400);
      const page = await res.text();
      expect(page).toContain('Not saved');
      expect(page).toContain(message);
      expect(page).toContain('aria-invalid="true"');
    }
    expect(await exists(c, 'fix-flaky')).toBe(false);
    expect(audits('web:ops').filter((a) => a?.command === 'configs')).toEqual([]);
  });

  it('creates a config (audited with the web user), then refuses a duplicate name', async () => {
    const { c, csrf } = await as('ops', 'operator-password');
    const res = await c.post('/configs/new', { ...good, deadline: '45m', maxTurns: '40', _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/configs/fix-flaky?saved=1');
    const page = await (await c.get('/configs/fix-flaky?saved=1')).text();
    expect(page).toContain('Saved config fix-flaky.');
    expect(page).toContain('deadline 45m · 40 turns');
    expect(page).toContain('saved by');
    expect(audits('web:ops')).toContainEqual(expect.objectContaining({ command: 'configs', result: 'ok' }));
    const dup = await c.post('/configs/new', { ...good, template: 'other', _csrf: csrf });
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain('Name fix-flaky exists already');
    expect(await (await c.get('/configs/fix-flaky')).text()).toContain('Fix: {{title}}');
  });

  it('edits: bad input changes nothing, good input saves', async () => {
    const { c, csrf } = await as('ops', 'operator-password');
    const bad = await c.post('/configs/fix-flaky', {
      ...good,
      family: 'gemini',
      deadline: '2h',
      _csrf: csrf,
    });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain('Agent family is not a configured family');
    expect(badPage).toContain('value="2h"'); // the form keeps what was typed
    expect(await (await c.get('/configs/fix-flaky')).text()).toContain('deadline 45m');
    const ok = await c.post('/configs/fix-flaky', { ...good, family: 'codex', deadline: '2h', _csrf: csrf });
    expect(ok.status).toBe(303);
    const page = await (await c.get('/configs/fix-flaky')).text();
    expect(page).toContain('<dd>codex</dd>');
    expect(page).toContain('deadline 2h');
  });

  it('clones through a prefilled new form', async () => {
    const { c, csrf } = await as('ops', 'operator-password');
    const form = await (await c.get('/configs/new?from=fix-flaky')).text();
    expect(form).toContain('Clone fix-flaky');
    expect(form).toContain('value="fix-flaky-copy"');
    expect(form).toContain('value="2h"');
    expect((await c.get('/configs/new?from=nothing')).status).toBe(404);
    const res = await c.post('/configs/new', { ...good, name: 'fix-flaky-claude', _csrf: csrf });
    expect(res.status).toBe(303);
    const list = await (await c.get('/configs')).text();
    expect(list).toContain('Saved agent configs (2)');
  });

  it('refuses forms without the session’s CSRF token, and nothing changes', async () => {
    const { c } = await as('ops', 'operator-password');
    for (const [path, form] of [
      ['/configs/new', { ...good, name: 'forged' }],
      ['/configs/fix-flaky', { ...good, family: 'claude' }],
      ['/configs/fix-flaky/delete', { confirm: 'yes' }],
      ['/configs/fix-flaky/launch', {}],
    ] as const) {
      const res = await c.post(path, { ...form, _csrf: 'forged' });
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain('CSRF check failed');
    }
    expect(await exists(c, 'forged')).toBe(false);
    expect(await (await c.get('/configs/fix-flaky')).text()).toContain('<dd>codex</dd>');
  });

  it('shows a viewer the configs read-only and refuses their changes through the role rules', async () => {
    const { c, csrf } = await as('vic', 'viewer-password');
    const list = await (await c.get('/configs')).text();
    expect(list).toContain('fix-flaky');
    expect(list).toContain('Read-only: changing or launching a config needs the operator role.');
    expect(list).not.toContain('New config');
    expect(list).not.toContain('Delete…');
    const show = await (await c.get('/configs/fix-flaky')).text();
    expect(show).not.toContain('Save changes');
    expect((await c.get('/configs/new')).status).toBe(403);
    const create = await c.post('/configs/new', { ...good, name: 'viewer-made', _csrf: csrf });
    expect(create.status).toBe(403);
    expect(await create.text()).toContain('saving a config needs the operator role; vic is a viewer');
    const del = await c.post('/configs/fix-flaky/delete', { confirm: 'yes', _csrf: csrf });
    expect(del.status).toBe(403);
    const launch = await c.post('/configs/fix-flaky/launch', { _csrf: csrf });
    expect(launch.status).toBe(403);
    expect(await launch.text()).toContain('launch needs the operator role');
    expect(await exists(c, 'viewer-made')).toBe(false);
    expect(await exists(c, 'fix-flaky')).toBe(true);
    expect(audits('web:vic').map((a) => `${a?.command} ${a?.result}`)).toEqual(
      expect.arrayContaining(['configs forbidden', 'launch forbidden']),
    );
  });

  it('launches: files the issue and goes to its page, which follows the attempt once claimed', async () => {
    const { c, csrf } = await as('ops', 'operator-password');
    const long = await c.post('/configs/fix-flaky-claude/launch', { title: 'x'.repeat(300), _csrf: csrf });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('the title is too long');
    const res = await c.post('/configs/fix-flaky-claude/launch', { title: 'Flaky login', _csrf: csrf });
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    const ref = decodeURIComponent(/^\/issue\?ref=(.+)$/.exec(location)?.[1] ?? '');
    expect(ref).toMatch(/^sandbox\/hello-k3sc#\d+$/);
    const page = await (await c.get(location)).text();
    expect(page).toContain('Flaky login');
    expect(page).toContain(`data-follow="/issue/attempt?ref=${encodeURIComponent(ref)}"`);
    expect(audits('web:ops')).toContainEqual(expect.objectContaining({ command: 'launch', result: 'ok' }));
    const attempt = await waitFor('the launched issue’s attempt', async () => {
      const r = (await (await c.get(`/issue/attempt?ref=${encodeURIComponent(ref)}`)).json()) as {
        attempt: string | null;
      };
      return r.attempt ?? undefined;
    });
    expect(await (await c.get(location)).text()).toContain(`aria-label="log of ${attempt}"`);
    expect((await new WebClient(info.url).get('/issue/attempt?ref=a%2Fb%231')).status).toBe(401);
  });

  it('deletes after a confirmation step', async () => {
    const { c, csrf } = await as('ops', 'operator-password');
    const ask = await c.post('/configs/fix-flaky/delete', { _csrf: csrf });
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Yes, delete fix-flaky');
    expect(await exists(c, 'fix-flaky')).toBe(true);
    const res = await c.post('/configs/fix-flaky/delete', { confirm: 'yes', _csrf: csrf });
    expect(res.status).toBe(303);
    expect(await (await c.get(res.headers.get('location') ?? '')).text()).toContain(
      'Deleted config fix-flaky.',
    );
    expect(await exists(c, 'fix-flaky')).toBe(false);
    expect(audits('web:ops')).toContainEqual(
      expect.objectContaining({
        command: 'configs',
        result: 'ok',
        args: expect.objectContaining({ action: 'delete' }),
      }),
    );
  });
});
