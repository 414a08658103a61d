import type { Attempt } from '../../core/api/farm-api.js';
import type { Reply } from '../reply.js';

/** An issue labelled `needs-human`, as the digest lists it. */
export interface WaitingIssue {
  readonly issue: string;
  readonly title: string;
  readonly url: string;
}

export interface DigestInput {
  readonly now: Date;
  /** The digest covers attempts that finished in the last `windowMs` (a day by default). */
  readonly windowMs?: number;
  readonly attempts: readonly Attempt[];
  readonly waiting: readonly WaitingIssue[];
}

const DAY_MS = 24 * 60 * 60_000;
const usd = (n: number): string => `$${n.toFixed(2)}`;
const ref = (a: Attempt): string => `${a.repo.owner}/${a.repo.name}#${a.issue}`;

/**
 * The daily digest a channel gets (`schedules.digest`): what finished, what waits for a human,
 * what failed, and what it cost, over the last day. Pure: the schedule gathers the data.
 */
export const digestReply = (input: DigestInput): Reply => {
  const since = input.now.getTime() - (input.windowMs ?? DAY_MS);
  const inWindow = input.attempts.filter(
    (a) => a.finishedAt !== undefined && Date.parse(a.finishedAt) >= since,
  );
  const finished = inWindow.filter((a) => a.phase === 'succeeded');
  const failed = inWindow.filter((a) => a.phase === 'failed');
  const cost = inWindow.reduce((sum, a) => sum + (a.usage?.costUsd ?? 0), 0);
  const row = (a: Attempt): string[] => [
    ref(a),
    a.kind,
    a.slot,
    a.result?.prUrl ?? a.result?.summary ?? a.result?.reason ?? a.reason ?? '',
  ];
  return {
    title: 'k3sc digest',
    blocks: [
      {
        type: 'fields',
        fields: [
          ['finished', String(finished.length)],
          ['waiting for humans', String(input.waiting.length)],
          ['failed', String(failed.length)],
          ['cost', usd(cost)],
        ],
      },
      {
        type: 'table',
        title: 'finished',
        columns: ['issue', 'kind', 'slot', 'result'],
        rows: finished.map(row),
        empty: 'nothing finished',
      },
      {
        type: 'table',
        title: 'waiting for humans',
        columns: ['issue', 'title', 'link'],
        rows: input.waiting.map((w) => [w.issue, w.title, w.url]),
        empty: 'nobody is waited for',
      },
      {
        type: 'table',
        title: 'failed',
        columns: ['issue', 'kind', 'slot', 'reason'],
        rows: failed.map(row),
        empty: 'nothing failed',
      },
    ],
    data: {
      since: new Date(since).toISOString(),
      finished: finished.map(ref),
      waiting: input.waiting,
      failed: failed.map(ref),
      costUsd: Number(cost.toFixed(4)),
    },
  };
};
