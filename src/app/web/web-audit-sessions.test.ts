import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFarmApi,
  type AuditEntry,
  type LocalSessionSource,
  type Role,
} from '../../core/api/farm-api.js';
import { silentLogger } from '../../core/ports/logger.js';
import { createHarness } from '../../testing/engine-harness.js';
import { startHttpServer } from '../http-server.js';
import { webPlugin, type WebParts } from './web-app.js';
import { DashboardSignal } from './dashboard-signal.js';
import { ManualClock } from './__tests__/manual-clock.js';
import { addUser, readUsers } from './users-file.js';

const NOW = '2026-03-02T09:00:00.000Z';
const transcript = JSON.stringify({
  type: 'assistant',
  sessionId: 'abc',
  timestamp: '2026-03-02T08:30:00Z',
  requestId: 'r1',
  message: { id: 'm1', model: 'claude-sonnet-4-5', usage: { input_tokens: 1_000_000, output_tokens: 0 } },
});
const source: LocalSessionSource = {
  sessions: () => Promise.resolve([{ pid: 4242, sessionId: 'abc', cwd: '/work/<repo>', alive: true }]),
  transcripts: () => Promise.resolve([{ sessionId: 'abc', project: '-work', text: transcript }]),
};

let dir: string;
let url: string;
let parts: WebParts;
let close: () => Promise<void>;
const changes = new DashboardSignal();
const clock = new ManualClock();
const abort = new AbortController();
const h = createHarness({ start: NOW });
const api = createFarmApi({
  deps: h.deps,
  engine: h.engine,
  serving: true,
  runtimeName: 'memory',
  localSessions: source,
});

const entry = (i: number, at: string, result = 'ok'): AuditEntry => ({
  at,
  cid: `c${i}`,
  actor: `web:user${i}`,
  where: 'web',
  command: i % 2 ? 'pause' : 'scale',
  args: i % 2 ? {} : { slots: i },
  result,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3sc-web-audit-'));
  // 120 entries in the last two hours (one a minute), and one three days ago.
  await api.recordAudit(entry(999, '2026-02-27T09:00:00.000Z'));
  for (let i = 0; i < 120; i++)
    await api.recordAudit(entry(i, new Date(Date.parse(NOW) - (120 - i) * 60_000).toISOString()));
  const web = webPlugin({
    api,
    config: { basePath: '/', usersFile: join(dir, 'users.json'), sessionTtlMs: 3_600_000, trustProxy: false },
    policy: { admins: [], operators: [], viewers: [], unknown: 'viewer' },
    sandbox: false,
    run: () => Promise.resolve([]),
    logger: silentLogger,
    github: { webUrl: 'http://gh', apiUrl: 'http://gh/api', allowedAuthors: [] },
    changes,
    feedClock: clock,
    signal: abort.signal,
  });
  parts = web.parts;
  const http = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger,
    routes: {},
    plugins: [web.plugin],
  });
  url = http.url;
  close = http.close;
});

afterAll(async () => {
  abort.abort();
  await close();
  await rm(dir, { recursive: true, force: true });
});

/** A logged-in browser's cookie for `name` with `role`. */
const as = async (name: string, role: Role): Promise<Record<string, string>> => {
  // A local user's session is checked against the users file on every request.
  const file = join(dir, 'users.json');
  if (!(await readUsers(file)).some((u) => u.name === name))
    await addUser(file, { name, password: `${name}-password`, role });
  const session = await parts.deps.sessions.login(undefined, { name, role, via: 'local' });
  return { cookie: `k3sc_session=${session.id}` };
};

const decoder = new TextDecoder();
const decode = (v: Uint8Array | undefined): string => decoder.decode(v, { stream: true });

const get = async (path: string, headers: Record<string, string>) => {
  const res = await fetch(`${url}${path}`, { headers, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
};

describe('/audit', () => {
  it('refuses a viewer and an operator with a 403 page that names the role needed, and hides the link', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const r = await get('/audit', await as(`someone-${role}`, role));
      expect(r.status).toBe(403);
      expect(r.text).toContain(`the audit log needs the admin role; you are ${role}`);
      expect(r.text).not.toContain('>Audit</a>');
    }
  });

  it('sends a stranger to the login page', async () => {
    const r = await get('/audit', {});
    expect(r.status).toBe(303);
  });

  it('shows an admin who, where, what and result, newest first, 50 a page, with paging links', async () => {
    const admin = await as('ada', 'admin');
    const first = await get('/audit', admin);
    expect(first.status).toBe(200);
    expect(first.text).toContain('>Audit</a>');
    expect(first.text).toContain('121 entries since');
    expect(first.text).toContain('page 1 of 3');
    const actors = [...first.text.matchAll(/<strong>web:user(\d+)<\/strong>/g)].map((m) => Number(m[1]));
    expect(actors).toHaveLength(50);
    expect(actors.slice(0, 3)).toEqual([119, 118, 117]);
    expect(first.text).toContain('<code>scale slots=118</code>');
    expect(first.text).toContain('rel="next"');
    expect(first.text).not.toContain('rel="prev"');
    const third = await get('/audit?page=3', admin);
    const last = [...third.text.matchAll(/<strong>web:user(\d+)<\/strong>/g)].map((m) => Number(m[1]));
    expect(last).toEqual([...Array.from({ length: 20 }, (_, i) => 19 - i), 999]);
    expect(third.text).toContain('rel="prev"');
  });

  it('filters with ?since= (a duration or a time)', async () => {
    const admin = await as('ada', 'admin');
    const hour = await get('/audit?since=30m', admin);
    expect(hour.text).toContain('30 entries since 2026-03-02 08:30:00 UTC');
    const iso = await get(`/audit?since=${encodeURIComponent('2026-03-02T08:00Z')}`, admin);
    expect(iso.text).toContain('60 entries since');
    expect(iso.text).toContain('value="2026-03-02T08:00Z"');
    const none = await get('/audit?since=1s', admin);
    expect(none.text).toContain('No commands recorded in that time.');
  });

  it('answers a bad since or page with a clear 400 message', async () => {
    const admin = await as('ada', 'admin');
    const bad = await get('/audit?since=yesterday', admin);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(
      'since takes a duration like 30m, 24h, 7d or a time like 2026-12-01T10:00Z (got &quot;yesterday&quot;)',
    );
    const script = await get(`/audit?since=${encodeURIComponent('<script>')}`, admin);
    expect(script.status).toBe(400);
    expect(script.text).not.toContain('<script>');
    const page = await get('/audit?page=0', admin);
    expect(page.status).toBe(400);
    expect(page.text).toContain('page takes a whole number from 1');
  });
});

describe('/sessions', () => {
  it('shows the running sessions with tokens and cost, and the open block with its projection', async () => {
    const r = await get('/sessions', await as('val', 'viewer'));
    expect(r.status).toBe(200);
    expect(r.text).toContain('pid 4242');
    expect(r.text).toContain('abc');
    expect(r.text).toContain('/work/&lt;repo&gt;');
    expect(r.text).toContain('1.0M in / 0 out');
    expect(r.text).toContain('$3.00');
    expect(r.text).toContain('projected');
    expect(r.text).toContain('data-events="/events?sessions=1&amp;at=0"');
    expect(r.text).toContain('aria-current="page">Sessions</a>');
  });

  it('streams the same fragment over the page’s event stream (one render shared, none without a subscriber)', async () => {
    const before = parts.sessionsFeed.renders;
    expect(parts.sessionsFeed.subscribers).toBe(0);
    const ac = new AbortController();
    const res = await fetch(`${url}/events?sessions=1&at=0`, {
      headers: await as('val', 'viewer'),
      signal: ac.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: dashboard'))
      text += decode((await reader.read()).value as Uint8Array | undefined);
    while (!text.includes('\n\n', text.indexOf('event: dashboard')))
      text += decode((await reader.read()).value as Uint8Array | undefined);
    ac.abort();
    expect(text).toMatch(/id: 1\n/);
    expect(text).toContain('pid 4242');
    expect(text).not.toContain('Farm</h2>');
    expect(parts.sessionsFeed.renders).toBe(before + 1);
    expect(parts.feed.renders).toBe(0); // the farm's feed is not watched here: never rendered
  });
});

describe('the dashboard feed in the web plugin', () => {
  it('renders once for a burst of engine events and commands, only the safety tick when idle, nothing once the page is gone', async () => {
    expect(parts.feed.renders).toBe(0);
    const ac = new AbortController();
    const res = await fetch(`${url}/events?dash=1&at=0`, {
      headers: await as('val', 'viewer'),
      signal: ac.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: dashboard'))
      text += decode((await reader.read()).value as Uint8Array | undefined);
    expect(parts.feed.renders).toBe(1); // the first subscriber
    const ref = { repo: { owner: 'o', name: 'r' }, number: 1 };
    for (let i = 0; i < 10; i++)
      changes.emit({ type: 'transition', ref, from: 'ready', to: 'claimed', by: 'k3sc' });
    changes.command('ok');
    await clock.advance(600);
    await waitRenders(2);
    for (let i = 1; i <= 4; i++) {
      // idle: one render every 15 s (in steps: the render's own I/O runs on real time)
      await clock.advance(15_000);
      await waitRenders(2 + i);
    }
    expect(parts.feed.renders).toBe(6);
    ac.abort();
    await waitFor(() => parts.feed.subscribers === 0);
    changes.emit({ type: 'attempt-finished', ref, attempt: 'a', ok: true });
    await clock.advance(60_000);
    expect(parts.feed.renders).toBe(6);
  });
});

/** Real I/O (the dashboard read, the socket) settles outside the manual clock: wait for it. */
const waitFor = async (ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ok()).toBe(true);
};
const waitRenders = (n: number): Promise<void> => waitFor(() => parts.feed.renders >= n);
