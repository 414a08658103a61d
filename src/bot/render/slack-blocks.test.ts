import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../../core/api/farm-api.js';
import { errorReply, type Reply } from '../reply.js';
import { dashboardReply } from './dashboard-reply.js';
import {
  chunkLines,
  renderSlackMessages,
  renderSlackPreformatted,
  SLACK_LIMITS,
  type SlackMessage,
} from './slack-blocks.js';

/** Set UPDATE_GOLDEN=1 to rewrite the files after a deliberate change, then review the diff. */
const golden = (name: string, messages: readonly SlackMessage[]): void => {
  const actual = `${JSON.stringify(messages, null, 2)}\n`;
  const url = new URL(`./__golden__/${name}`, import.meta.url);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(url, actual);
  expect(existsSync(url), `missing golden file ${name}; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(url, 'utf8'));
};

const textOf = (m: SlackMessage): string =>
  m.blocks
    .map((b) =>
      b.type === 'section' || b.type === 'header'
        ? b.text.text
        : b.type === 'context'
          ? b.elements.map((e) => e.text).join('')
          : '',
    )
    .join('\n');

/** Every page within Slack's limits. */
const expectWithinLimits = (messages: readonly SlackMessage[]): void => {
  for (const m of messages) {
    expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const b of m.blocks)
      if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
    expect(textOf(m).length).toBeLessThanOrEqual(SLACK_LIMITS.messageChars);
  }
};

const dashboard: Dashboard = {
  generatedAt: '2026-03-02T12:00:00.000Z',
  runtime: 'local',
  paused: false,
  slots: { max: 5, used: 1 },
  families: [
    { name: 'claude', status: 'available' },
    { name: 'codex', status: 'out-of-quota', quotaUntil: '2026-03-02T15:00:00.000Z' },
  ],
  running: [
    {
      attempt: 'acme-widgets-12-1',
      issue: 'acme/widgets#12',
      title: 'Add a <widget> & more',
      kind: 'implement',
      slot: 'claude-a',
      startedAt: '2026-03-02T11:59:15.000Z',
      seconds: 45,
      lastLine: 'Running the test suite',
    },
  ],
  queue: [
    {
      issue: 'acme/widgets#15',
      title: 'Perf',
      stage: 'ready',
      next: 'skip',
      reason: 'waiting',
      detail: 'a human added the waiting label',
    },
  ],
  pulls: [{ pr: 'acme/widgets#20', title: 'perf: faster widget', branch: 'issue-12', owners: ['claude-b'] }],
  leases: [],
  costs: { todayUsd: 1.5, weekUsd: 12.345, totalUsd: 100 },
  lastScanAt: '2026-03-02T11:58:00.000Z',
  nextScanAt: '2026-03-02T12:00:00.000Z',
};

const longReply = (rows: number): Reply => ({
  title: 'usage',
  blocks: [
    { type: 'text', text: 'Usage per issue' },
    {
      type: 'table',
      title: 'Issues',
      columns: ['issue', 'attempts', 'cost'],
      rows: Array.from({ length: rows }, (_, i) => [
        `acme/widgets#${i + 1}`,
        String(i % 7),
        `$${(i / 10).toFixed(2)}`,
      ]),
    },
  ],
  data: null,
});

describe('renderSlackMessages', () => {
  it('renders top as Block Kit (golden)', () => {
    const out = renderSlackMessages(dashboardReply(dashboard));
    expect(out).toHaveLength(1);
    expect(JSON.stringify(out)).toContain('acme/widgets#12');
    golden('slack-top.json', out);
  });

  it('renders the status summary (golden)', () => {
    const d = dashboardReply(dashboard);
    golden(
      'slack-status.json',
      renderSlackMessages({ ...d, blocks: d.blocks.slice(0, 3), title: 'k3sc status' }),
    );
  });

  it('renders an error (golden)', () => {
    golden('slack-error.json', renderSlackMessages(errorReply('not_found', 'acme/widgets#99 is not open')));
  });

  it('pages a long reply, every page within the limits (golden)', () => {
    const out = renderSlackMessages(longReply(600));
    expect(out.length).toBeGreaterThan(1);
    expectWithinLimits(out);
    golden('slack-long.json', out);
  });

  it('pages 10,000 rows without losing or repeating one', () => {
    const out = renderSlackMessages(longReply(10_000));
    expectWithinLimits(out);
    const all = out.map(textOf).join('\n');
    for (const n of [1, 2, 5000, 9999, 10_000]) expect(all).toContain(`acme/widgets#${n} `);
    expect(all.match(/acme\/widgets#\d+ /g)).toHaveLength(10_000);
    expect(out.at(-1)!.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `page ${out.length} of ${out.length}` }],
    });
  });

  it('splits one huge text and one huge line, never cutting content', () => {
    const text = `${'x'.repeat(7000)}\n${'y\n'.repeat(4000)}`;
    const out = renderSlackPreformatted('help', text);
    expectWithinLimits(out);
    const joined = out
      .map(textOf)
      .join('')
      .replace(/```|\n|help|page \d+ of \d+|\(page \d+ of \d+\)/g, '');
    expect(joined).toBe(`${'x'.repeat(7000)}${'y'.repeat(4000)}`);
  });
});

describe('escaping', () => {
  it("escapes Slack's control characters in text and tables", () => {
    const out = JSON.stringify(renderSlackMessages(errorReply('invalid', 'a <b> & <!channel>')));
    expect(out).toContain('error: a &lt;b&gt; &amp; &lt;!channel&gt;');
    expect(out).not.toContain('<!channel>');
  });
});

describe('chunkLines', () => {
  it('keeps every character, each piece within max', () => {
    const pieces = chunkLines('ab\ncdef\ng', 4);
    expect(pieces).toEqual(['ab', 'cdef', 'g']);
    expect(chunkLines('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});
