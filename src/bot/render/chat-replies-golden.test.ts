import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../../core/api/farm-api.js';
import { auditReply } from '../commands/audit-command.js';
import { ConfirmationGate, resolvedCard } from '../confirm.js';
import { findCommand } from '../command-table.js';
import { textReply, type Reply } from '../reply.js';
import { dashboardReply } from './dashboard-reply.js';
import { DISCORD_LIMITS, renderDiscordReply, type DiscordMessage } from './discord-message.js';
import { renderSlackMessages, SLACK_LIMITS, type SlackMessage } from './slack-blocks.js';

/** Set UPDATE_GOLDEN=1 to rewrite the files after a deliberate change, then review the diff. */
const golden = (name: string, value: unknown): void => {
  const actual = `${JSON.stringify(value, null, 2)}\n`;
  const url = new URL(`./__golden__/${name}`, import.meta.url);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(url, actual);
  expect(existsSync(url), `missing golden file ${name}; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(url, 'utf8'));
};

const slackWithin = (messages: readonly SlackMessage[]): void => {
  for (const m of messages) {
    expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    let chars = 0;
    const ids: string[] = [];
    for (const b of m.blocks) {
      if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
      if (b.type === 'section' || b.type === 'header') chars += b.text.text.length;
      if (b.type === 'actions') ids.push(...b.elements.map((e) => e.action_id));
    }
    expect(chars).toBeLessThanOrEqual(SLACK_LIMITS.messageChars);
    expect(new Set(ids).size, 'action_ids are unique in a message').toBe(ids.length);
  }
};

const discordWithin = (messages: readonly DiscordMessage[]): void => {
  for (const m of messages) {
    expect((m.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    const total = (m.embeds ?? []).reduce((n, e) => n + e.title.length + e.description.length, 0);
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
    const rows = m.components ?? [];
    expect(rows.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
    const ids = rows.flatMap((r) => r.components.map((c) => c.custom_id));
    for (const r of rows) expect(r.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
    expect(new Set(ids).size, 'custom_ids are unique in a message').toBe(ids.length);
  }
};

const both = (name: string, reply: Reply): void => {
  const slack = renderSlackMessages(reply);
  const discord = renderDiscordReply(reply);
  slackWithin(slack);
  discordWithin(discord);
  golden(`slack-${name}.json`, slack);
  golden(`discord-${name}.json`, discord);
};

/** A farm with 10,000 queued issues, 26 running attempts and 40 open pull requests. */
const huge: Dashboard = {
  generatedAt: '2026-03-02T12:00:00.000Z',
  runtime: 'kubernetes',
  paused: false,
  slots: { max: 26, used: 26 },
  families: [{ name: 'claude', status: 'available' }],
  running: Array.from({ length: 26 }, (_, i) => ({
    attempt: `acme-w-${i + 1}-1`,
    issue: `acme/w#${i + 1}`,
    title: `Issue ${i + 1}`,
    kind: 'implement',
    slot: `claude-${String.fromCharCode(97 + i)}`,
    startedAt: '2026-03-02T11:00:00.000Z',
    seconds: 3600 + i,
    lastLine: `step ${i + 1} of the build`,
  })),
  queue: Array.from({ length: 10_000 }, (_, i) => ({
    issue: `acme/w#${1000 + i}`,
    title: `Queued ${i}`,
    stage: 'ready',
    next: 'skip',
    reason: 'no-slot',
    detail: 'all 26 slots are busy',
  })),
  pulls: Array.from({ length: 40 }, (_, i) => ({
    pr: `acme/w#${20_000 + i}`,
    title: `fix: thing ${i}`,
    branch: `issue-${i}`,
    owners: ['claude-a'],
    ...(i % 2 === 0 ? { lease: `claude-b until 2026-03-02T18:00:00.000Z` } : {}),
  })),
  leases: [],
  costs: { todayUsd: 12.5, weekUsd: 80, totalUsd: 900 },
  lastScanAt: '2026-03-02T11:58:00.000Z',
  nextScanAt: '2026-03-02T12:00:00.000Z',
};

const commandsOf = (r: Reply): string[] =>
  r.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons.map((x) => x.command) : []));

describe('top at 10,000 items: pages with previous / next buttons, on both platforms', () => {
  it('page 1, a middle page and the last page (golden)', () => {
    both('top-10000-page-1', dashboardReply(huge, { page: 1 }));
    both('top-10000-page-500', dashboardReply(huge, { page: 500 }));
    both('top-10000-page-last', dashboardReply(huge, { page: 1_000_000 }));
  });

  it('every queued issue is on exactly one page, each page fits in one message, and the buttons carry the page', () => {
    const seen = new Map<string, number>();
    let page = 1;
    for (;;) {
      const reply = dashboardReply(huge, { page });
      expect(renderSlackMessages(reply)).toHaveLength(1);
      expect(renderDiscordReply(reply)).toHaveLength(1);
      const queue = reply.blocks[2];
      if (queue?.type !== 'table') throw new Error('no queue table');
      for (const row of queue.rows) seen.set(row[0] ?? '', (seen.get(row[0] ?? '') ?? 0) + 1);
      const commands = commandsOf(reply);
      if (page > 1) expect(commands).toContain(`top --page ${page - 1}`);
      if (!commands.includes(`top --page ${page + 1}`)) break;
      page += 1;
    }
    expect(page).toBe(1000);
    expect(seen.size).toBe(10_000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('per-row Logs and Kill for every running attempt on its page; one Take when a PR is free', () => {
    const commands = commandsOf(dashboardReply(huge, { page: 2 }));
    for (let i = 6; i <= 10; i++)
      expect(commands).toEqual(expect.arrayContaining([`logs acme/w#${i}`, `kill acme/w#${i}`]));
    expect(commands.filter((c) => c === 'take')).toHaveLength(1);
    expect(commands).toContain('top --page 2'); // Refresh stays on this page
  });
});

describe('other chat replies (golden, both platforms)', () => {
  const spec = findCommand('kill');
  if (!spec) throw new Error('kill');
  const gate = new ConfirmationGate({
    now: () => new Date('2026-03-02T12:00:00.000Z'),
    newToken: () => 'a1b2c3d4e5f6',
  });
  const actor = { id: 'slack:U1', display: 'ann', role: 'operator' as const };
  it('a confirmation card, resolved and expired cards', () => {
    both(
      'confirm-card',
      gate.request({
        spec,
        args: { issue: 'acme/w#3' },
        line: 'kill acme/w#3',
        requestedBy: actor,
        where: 'slack:C1',
      }),
    );
    both(
      'confirm-resolved',
      resolvedCard(
        'kill',
        'bob confirmed `kill acme/w#3` (asked by ann)',
        textReply('kill', 'killed acme/w#3 (attempt acme-w-3-1); labelled needs-human'),
      ),
    );
    both(
      'confirm-expired',
      resolvedCard(
        'kill expired',
        'expired: `kill acme/w#3` was not confirmed within 5 minutes; nothing ran',
      ),
    );
  });

  it('the audit log', () => {
    const entries = Array.from({ length: 3 }, (_, i) => ({
      at: `2026-03-02T11:0${i}:00.000Z`,
      cid: `c0ffee0${i}`,
      actor: i === 1 ? 'discord:42' : 'slack:U1',
      where: i === 1 ? 'discord:777' : 'slack:C1',
      command: ['kill', 'top', 'kill'][i] ?? '',
      args: i === 1 ? { page: 2 } : { issue: 'acme/w#3', requeue: true },
      result: ['confirmation_requested', 'ok', 'ok'][i] ?? '',
    }));
    both('audit', auditReply(entries, new Date('2026-03-01T12:00:00.000Z')));
  });
});
