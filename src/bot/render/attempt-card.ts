import type { Block, Reply } from '../reply.js';

/** Where an attempt's root message says it is. */
export const CARD_STATES = [
  'claimed',
  'running',
  'pr-opened',
  'needs-review',
  'review',
  'needs-human',
  'failed',
  'parked',
  'done',
] as const;
export type CardState = (typeof CARD_STATES)[number];

const ICON: Record<CardState, string> = {
  claimed: '🟡',
  running: '🔵',
  'pr-opened': '🟣',
  'needs-review': '🟠',
  review: '🟢',
  'needs-human': '🔴',
  failed: '❌',
  parked: '⏸️',
  done: '✅',
};

/** What the root message of one attempt shows. */
export interface AttemptCard {
  /** `owner/repo#N` */
  readonly issue: string;
  readonly title?: string;
  readonly attempt: string;
  readonly slot?: string;
  readonly state: CardState;
  readonly pr?: { readonly number: number; readonly url?: string };
  readonly reviewer?: string;
  readonly note?: string;
  /** Every state it went through, oldest first (`running 12:01`). */
  readonly history: readonly { readonly state: CardState; readonly at: string }[];
}

const time = (iso: string): string => iso.slice(11, 16);

/** The root message: state, agent, PR, its path so far; Follow while it runs, Take while it waits for review. */
export const attemptCardReply = (c: AttemptCard): Reply => {
  const fields: [string, string][] = [
    ['state', `${ICON[c.state]} ${c.state}`],
    ['attempt', c.attempt],
  ];
  if (c.slot) fields.push(['agent', c.slot]);
  if (c.pr) fields.push(['pull request', c.pr.url ?? `#${c.pr.number}`]);
  if (c.reviewer) fields.push(['reviewer', c.reviewer]);
  if (c.note) fields.push(['note', c.note]);
  const path = c.history.map((h) => `${h.state} ${time(h.at)}`).join(' → ');
  const blocks: Block[] = [{ type: 'fields', fields }];
  if (path) blocks.push({ type: 'text', text: path });
  const buttons: { id: string; label: string; command: string }[] = [];
  if (c.state === 'claimed' || c.state === 'running')
    buttons.push({ id: 'follow', label: 'Follow log', command: `follow ${c.issue}` });
  if (c.state === 'needs-review' && c.pr)
    buttons.push({ id: 'take', label: 'Take review', command: `take-review ${c.issue}` });
  if (buttons.length > 0) blocks.push({ type: 'actions', buttons });
  return {
    title: `${c.issue}${c.title ? ` ${c.title}` : ''} · ${c.state}`,
    blocks,
    data: c,
  };
};

/** The review hand-off posted in the thread (and the route's channel): PR link, summary, Take button. */
export const handoffReply = (h: {
  readonly issue: string;
  readonly pr: { readonly number: number; readonly url?: string };
  readonly summary?: string;
}): Reply => ({
  title: `review wanted: ${h.issue}`,
  blocks: [
    { type: 'fields', fields: [['pull request', h.pr.url ?? `#${h.pr.number}`]] },
    { type: 'text', text: h.summary?.trim() || '(the hand-off comment has no summary)' },
    {
      type: 'actions',
      buttons: [{ id: 'take', label: 'Take review', command: `take-review ${h.issue}` }],
    },
  ],
  data: h,
});

/** A batch of log lines in the thread. */
export const logBatchReply = (
  attempt: string,
  issue: string,
  lines: readonly string[],
  last: boolean,
): Reply => ({
  title: `log ${attempt}`,
  blocks: [
    { type: 'text', text: lines.join('\n') },
    ...(last
      ? []
      : [
          {
            type: 'actions' as const,
            buttons: [{ id: 'unfollow', label: 'Stop', command: `unfollow ${issue}` }],
          },
        ]),
  ],
  data: { attempt, lines },
});
