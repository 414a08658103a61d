import type { Dashboard } from '../../core/api/farm-api.js';
import type { Block, Reply } from '../reply.js';
import { DASHBOARD_PAGE_ROWS as ROWS, dashboardPage, pageButtons, sliceRows } from './dashboard-paging.js';

const dur = (s: number): string =>
  s < 90 ? `${s}s` : s < 5400 ? `${Math.round(s / 60)}m` : `${(s / 3600).toFixed(1)}h`;
const usd = (n: number): string => `$${n.toFixed(2)}`;
const titled = (name: string, range?: string): string => (range ? `${name} (${range})` : name);

type Button = { id: string; label: string; command: string };

/**
 * The `top` dashboard as neutral blocks; every transport renders these. Long tables are paged
 * (`page`, 1-based): each page shows its slice of every table with the range in the title, and
 * previous / next buttons whose command carries the page (`top --page 3`). Per row: Logs and
 * Kill for running attempts; Take next PR when a pull request is free.
 */
export const dashboardReply = (d: Dashboard, opts: { page?: number } = {}): Reply => {
  const p = dashboardPage(
    { running: d.running.length, queue: d.queue.length, pulls: d.pulls.length },
    opts.page,
  );
  const running = sliceRows(d.running, ROWS.running, p.page);
  const queue = sliceRows(d.queue, ROWS.queue, p.page);
  const pulls = sliceRows(d.pulls, ROWS.pulls, p.page);
  const rowButtons: Button[] = [
    ...running.rows.flatMap((r, i) => [
      { id: `logs-${i}`, label: `Logs ${r.issue}`, command: `logs ${r.issue}` },
      { id: `kill-${i}`, label: `Kill ${r.issue}`, command: `kill ${r.issue}` },
    ]),
    // `take` reserves the next free PR (perf:, fix:, then oldest) for the clicker's worker.
    ...(d.pulls.some((r) => r.lease === undefined)
      ? [{ id: 'take', label: 'Take next PR', command: 'take' }]
      : []),
  ];
  const here = p.pages > 1 ? `top --page ${p.page}` : 'top';
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        ['runtime', d.runtime],
        ['dispatch', d.paused ? 'PAUSED' : 'running'],
        ['slots', `${d.slots.used}/${d.slots.max} busy`],
        [
          'families',
          d.families
            .map((f) => `${f.name} ${f.status}${f.quotaUntil ? ` until ${f.quotaUntil}` : ''}`)
            .join(', '),
        ],
        [
          'cost',
          `today ${usd(d.costs.todayUsd)} · week ${usd(d.costs.weekUsd)} · total ${usd(d.costs.totalUsd)}`,
        ],
        ['scans', `last ${d.lastScanAt ?? 'never'} · next ${d.nextScanAt ?? 'n/a'}`],
        ...(p.pages > 1
          ? [['page', `${p.page} of ${p.pages.toLocaleString('en-US')}`] as [string, string]]
          : []),
      ],
    },
    {
      type: 'table',
      title: titled('Running', running.range),
      columns: ['slot', 'issue', 'kind', 'time', 'last output'],
      rows: running.rows.map((r) => [r.slot, r.issue, r.kind, dur(r.seconds), r.lastLine ?? '']),
      empty: running.range ? 'none on this page' : 'no attempts running',
    },
    {
      type: 'table',
      title: titled('Queue', queue.range),
      columns: ['issue', 'stage', 'next', 'why'],
      rows: queue.rows.map((q) => [q.issue, q.stage, q.next, q.detail ?? '']),
      empty: queue.range ? 'none on this page' : 'nothing is ready or waiting for review',
    },
    {
      type: 'table',
      title: titled('Pull requests', pulls.range),
      columns: ['pr', 'title', 'owner', 'lease'],
      rows: pulls.rows.map((r) => [r.pr, r.title, r.owners.join(',') || '-', r.lease ?? '-']),
      empty: pulls.range ? 'none on this page' : 'no open pull requests',
    },
    {
      type: 'actions',
      buttons: [
        { id: 'dispatch', label: 'Dispatch now', command: 'dispatch' },
        {
          id: d.paused ? 'resume' : 'pause',
          label: d.paused ? 'Resume' : 'Pause',
          command: d.paused ? 'resume' : 'pause',
        },
        { id: 'refresh', label: 'Refresh', command: here },
        ...pageButtons(p),
      ],
    },
    ...(rowButtons.length > 0 ? [{ type: 'actions' as const, buttons: rowButtons }] : []),
  ];
  return { title: 'k3sc top', blocks, data: d };
};
