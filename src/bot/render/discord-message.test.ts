import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../../core/api/farm-api.js';
import { errorReply, textReply, type Reply } from '../reply.js';
import { dashboardReply } from './dashboard-reply.js';
import { discordButtons } from './discord-buttons.js';
import {
  DISCORD_LIMITS,
  renderDiscordReply,
  renderDiscordText,
  splitText,
  type DiscordMessage,
} from './discord-message.js';

/** Set UPDATE_GOLDEN=1 to rewrite the files after a deliberate change, then review the diff. */
const golden = (name: string, messages: readonly DiscordMessage[]): void => {
  const actual = `${JSON.stringify(messages, null, 2)}\n`;
  const url = new URL(`./__golden__/${name}`, import.meta.url);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(url, actual);
  expect(existsSync(url), `missing golden file ${name}; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(url, 'utf8'));
};

/** Every documented Discord limit, checked on every message a test renders. */
const expectWithinLimits = (messages: readonly DiscordMessage[]): void => {
  for (const m of messages) {
    expect((m.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    const embeds = m.embeds ?? [];
    expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
    let total = 0;
    for (const e of embeds) {
      expect(e.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
      expect(e.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
      total += e.title.length + e.description.length + (e.footer?.text.length ?? 0);
    }
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
    const rows = m.components ?? [];
    expect(rows.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
    for (const r of rows) {
      expect(r.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
      for (const b of r.components) expect(b.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
    }
  }
};

const busy: Dashboard = {
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
      title: 'Add a widget',
      kind: 'implement',
      slot: 'claude-a',
      startedAt: '2026-03-02T11:59:15.000Z',
      seconds: 45,
      lastLine: 'Running the test suite; 212 tests so far',
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
  pulls: [{ pr: 'acme/widgets#20', title: 'perf: faster widget', branch: 'issue-12', owners: ['claude-b'] }],
  leases: [],
  costs: { todayUsd: 1.5, weekUsd: 12.345, totalUsd: 100 },
  lastScanAt: '2026-03-02T11:58:00.000Z',
  nextScanAt: '2026-03-02T12:00:00.000Z',
};

const status: Reply = {
  title: 'status acme/widgets#12',
  blocks: [
    {
      type: 'fields',
      fields: [
        ['issue', 'acme/widgets#12 Add a widget'],
        ['stage', 'in-progress (claude-a)'],
        ['labels', 'k3sc:in-progress, k3sc:owner:claude-a'],
        ['queue', 'not in the queue'],
      ],
    },
    {
      type: 'table',
      title: 'Attempts',
      columns: ['attempt', 'kind', 'slot', 'phase', 'reason'],
      rows: [['acme-widgets-12-1', 'implement', 'claude-a', 'running', '']],
    },
  ],
  data: {},
};

const huge: Reply = {
  title: 'queue',
  blocks: [
    {
      type: 'table',
      title: 'Queue',
      columns: ['issue', 'stage', 'next'],
      rows: Array.from({ length: 10_000 }, (_, i) => [
        `acme/widgets#${i + 1}`,
        'ready',
        i % 2 ? 'skip' : 'dispatch',
      ]),
    },
  ],
  data: {},
};

describe('renderDiscordReply', () => {
  it('renders /k3sc top as an embed with buttons (golden)', () => {
    const out = renderDiscordReply(dashboardReply(busy));
    expectWithinLimits(out);
    expect(out).toHaveLength(1);
    expect(out[0]?.components?.[0]?.components.map((b) => b.custom_id)).toContain('k3sc:pause');
    golden('discord-top.json', out);
  });

  it('renders status (golden)', () => {
    const out = renderDiscordReply(status);
    expectWithinLimits(out);
    golden('discord-status.json', out);
  });

  it('renders an error in red, private when asked (golden)', () => {
    const out = renderDiscordReply(errorReply('bad_input', 'issue must look like owner/repo#N'), {
      ephemeral: true,
    });
    expect(out[0]?.flags).toBe(64);
    expect(out[0]?.embeds?.[0]?.color).toBe(0xc92a2a);
    golden('discord-error.json', out);
  });

  it('pages a 10,000-row table inside the limits and says what it does not show (golden)', () => {
    const out = renderDiscordReply(huge);
    expectWithinLimits(out);
    expect(out).toHaveLength(10);
    expect(out[0]?.embeds?.[0]?.title).toBe('queue (1/10)');
    expect(out[9]?.embeds?.[0]?.description).toMatch(/^\d+ more page\(s\) are not shown here \(\d+ in all\)/);
    golden('discord-long.json', out);
  });

  it('without a cap, every row of a long table appears exactly once, header on every page', () => {
    const out = renderDiscordReply(huge, { maxMessages: 10_000 });
    expectWithinLimits(out);
    const text = out.map((m) => m.embeds?.[0]?.description ?? '').join('\n');
    for (const i of [1, 2, 5000, 9999, 10_000])
      expect(text.match(new RegExp(`acme/widgets#${i} `, 'g'))).toHaveLength(1);
    expect(out.every((m) => m.embeds?.[0]?.description.includes('ISSUE'))).toBe(true);
  });

  it('splits one enormous line and long text without losing a character', () => {
    const line = 'y'.repeat(9_000);
    const out = renderDiscordReply(textReply('logs', `start\n${line}\nend`), { maxMessages: 100 });
    expectWithinLimits(out);
    const joined = out.map((m) => m.embeds?.[0]?.description ?? '').join('');
    expect(joined.replaceAll('\n', '')).toBe(`start${line}end`);
  });

  it('keeps buttons past 25 (or with a too-long command) as text, never dropped', () => {
    const buttons = Array.from({ length: 27 }, (_, i) => ({
      id: `b${i}`,
      label: `b${i}`,
      command: `logs acme/w#${i}`,
    }));
    buttons.push({ id: 'long', label: 'long', command: `status ${'z'.repeat(120)}` });
    const { rows, overflow } = discordButtons(buttons);
    expect(rows).toHaveLength(5);
    expect(rows.flatMap((r) => r.components)).toHaveLength(25);
    expect(overflow).toEqual([
      'b25: /k3sc logs acme/w#25',
      'b26: /k3sc logs acme/w#26',
      `long: /k3sc status ${'z'.repeat(120)}`,
    ]);
    const out = renderDiscordReply({ title: 't', blocks: [{ type: 'actions', buttons }], data: {} });
    expectWithinLimits(out);
    expect(out[0]?.embeds?.[0]?.description).toContain('b26: /k3sc logs acme/w#26');
  });
});

describe('renderDiscordText and splitText', () => {
  it('puts usage text in code blocks of at most 2,000 characters', () => {
    const text = Array.from({ length: 300 }, (_, i) => `usage line ${i}`).join('\n');
    const out = renderDiscordText(text, { ephemeral: true });
    expectWithinLimits(out);
    expect(out.length).toBeGreaterThan(1);
    expect(out.every((m) => m.flags === 64 && m.content?.startsWith('```\n'))).toBe(true);
    expect(out.map((m) => m.content?.slice(4, -4)).join('\n')).toBe(text);
  });

  it('splits at line ends and hard-splits only lines longer than the limit', () => {
    expect(splitText('aa\nbb\ncc', 5)).toEqual(['aa\nbb', 'cc']);
    expect(splitText('abcdefgh', 3)).toEqual(['abc', 'def', 'gh']);
    expect(splitText('', 3)).toEqual(['']);
  });
});
