import type { Dashboard } from '../../core/api/farm-api.js';
import type { Block, Reply } from '../reply.js';

const dur = (s: number): string =>
  s < 90 ? `${s}s` : s < 5400 ? `${Math.round(s / 60)}m` : `${(s / 3600).toFixed(1)}h`;
const usd = (n: number): string => `$${n.toFixed(2)}`;

/** The `top` dashboard as neutral blocks; every transport renders these. */
export const dashboardReply = (d: Dashboard): Reply => {
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
      ],
    },
    {
      type: 'table',
      title: 'Running',
      columns: ['slot', 'issue', 'kind', 'time', 'last output'],
      rows: d.running.map((r) => [r.slot, r.issue, r.kind, dur(r.seconds), r.lastLine ?? '']),
      empty: 'no attempts running',
    },
    {
      type: 'table',
      title: 'Queue',
      columns: ['issue', 'stage', 'next', 'why'],
      rows: d.queue.map((q) => [q.issue, q.stage, q.next, q.detail ?? '']),
      empty: 'nothing is ready or waiting for review',
    },
    {
      type: 'table',
      title: 'Pull requests',
      columns: ['pr', 'title', 'owner', 'lease'],
      rows: d.pulls.map((p) => [p.pr, p.title, p.owners.join(',') || '-', p.lease ?? '-']),
      empty: 'no open pull requests',
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
        { id: 'refresh', label: 'Refresh', command: 'top' },
      ],
    },
  ];
  return { title: 'k3sc top', blocks, data: d };
};
