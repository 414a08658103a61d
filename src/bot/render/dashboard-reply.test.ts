import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../../core/api/farm-api.js';
import { dashboardReply } from './dashboard-reply.js';
import { renderText } from './text.js';

/** Set UPDATE_GOLDEN=1 to rewrite the files after a deliberate change, then review the diff. */
const golden = (name: string, actual: string): void => {
  const url = new URL(`./__golden__/${name}`, import.meta.url);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(url, actual);
  expect(existsSync(url), `missing golden file ${name}; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(url, 'utf8'));
};

const busy: Dashboard = {
  generatedAt: '2026-03-02T12:00:00.000Z',
  runtime: 'local',
  paused: false,
  slots: { max: 5, used: 2 },
  families: [
    { name: 'claude', status: 'available' },
    { name: 'codex', status: 'out-of-quota', quotaUntil: '2026-03-02T15:00:00.000Z' },
  ],
  running: [
    {
      attempt: 'acme-widgets-12-1',
      issue: 'acme/widgets#12',
      title: 'Add a widget',
      kind: 'implement',
      slot: 'claude-a',
      startedAt: '2026-03-02T11:59:15.000Z',
      seconds: 45,
      lastLine:
        'Running the test suite; 212 tests so far, all green, now compiling the second package of the workspace',
    },
    {
      attempt: 'acme-gadgets-3-2',
      issue: 'acme/gadgets#3',
      title: 'Fix the gadget',
      kind: 'review',
      slot: 'claude-b',
      startedAt: '2026-03-02T09:30:00.000Z',
      seconds: 9000,
    },
  ],
  queue: [
    { issue: 'acme/widgets#14', title: 'Docs', stage: 'ready', next: 'dispatch to claude-c' },
    {
      issue: 'acme/widgets#15',
      title: 'Perf',
      stage: 'ready',
      next: 'skip',
      reason: 'waiting',
      detail: 'a human added the waiting label',
    },
  ],
  pulls: [
    {
      pr: 'acme/widgets#20',
      title: 'perf: faster widget',
      branch: 'issue-12',
      owners: ['claude-b'],
      lease: 'claude-b until 2026-03-02T18:00:00.000Z',
    },
    { pr: 'acme/gadgets#7', title: 'fix: gadget | pipe', branch: 'issue-3', owners: [] },
  ],
  leases: [],
  costs: { todayUsd: 1.5, weekUsd: 12.345, totalUsd: 100 },
  lastScanAt: '2026-03-02T11:58:00.000Z',
  nextScanAt: '2026-03-02T12:00:00.000Z',
};

const { lastScanAt: _last, nextScanAt: _next, ...neverScanned } = busy;
const idle: Dashboard = {
  ...neverScanned,
  paused: true,
  slots: { max: 3, used: 0 },
  families: [{ name: 'claude', status: 'disabled' }],
  running: [],
  queue: [],
  pulls: [],
  costs: { todayUsd: 0, weekUsd: 0, totalUsd: 0 },
};

describe('dashboardReply rendered as text', () => {
  it('matches the golden file for a busy farm', () => {
    golden('dashboard-busy.txt', `${renderText(dashboardReply(busy), { showActions: true })}\n`);
  });

  it('matches the golden file for an idle, paused farm', () => {
    golden('dashboard-idle.txt', `${renderText(dashboardReply(idle), { showActions: true })}\n`);
  });

  it('offers Resume when paused and Pause when running; keeps the dashboard as data', () => {
    const actions = (d: Dashboard) => dashboardReply(d).blocks.find((b) => b.type === 'actions');
    expect(JSON.stringify(actions(busy))).toContain('"command":"pause"');
    expect(JSON.stringify(actions(idle))).toContain('"command":"resume"');
    expect(dashboardReply(busy).data).toBe(busy);
  });
});
