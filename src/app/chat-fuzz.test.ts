import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../bot/command-table.js';
import type { RbacPolicy } from '../core/api/farm-api.js';
import { startChatRig, type ChatRig } from './__tests__/chat-rig.js';

/** Everyone is an admin here, so the fuzzed lines reach every command's argument checks. */
const ALL_ADMIN: RbacPolicy = { admins: [], operators: [], viewers: [], unknown: 'admin' };
const RUNS = 1000;

const NAMES = [...COMMANDS.map((c) => c.name), 'help', 'confirm', 'cancel', 'frob', '', 'TOP', '/k3sc'];
const WORDS = [
  'o/r#1',
  'o/r#999',
  'acme/w#0',
  '#3',
  '12',
  '-1',
  '0x10',
  '1e3',
  '--json',
  '--dry-run',
  '--requeue',
  '--to',
  'needs-review',
  'bogus',
  '--worker',
  'claude-b',
  'Claude',
  '--page',
  '2',
  '99999999999999999999',
  '--since',
  '7d',
  'yesterday',
  '--by',
  'model',
  'decade',
  '--attempt',
  '--tail',
  'NaN',
  '"',
  "'",
  '\\',
  '""',
  '--',
  '-',
  '--no-json',
  '--unknown',
  'a'.repeat(300),
  '🙂',
  '<@U123>',
  '@everyone',
  '```',
  '\n',
  '\t',
];

/** Command-shaped lines (a name, then a mix of plausible and hostile words), and arbitrary text. */
const line = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...NAMES),
      fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 })), { maxLength: 5 }),
    )
    .map(([n, ws]) => [n, ...ws].join(' ')),
  fc.string({ maxLength: 80, unit: 'grapheme' }),
  fc.string({ maxLength: 40, unit: 'binary' }),
);
/** `logs -f` waits for the attempt to end: not a fuzz target (a follow ends with the attempt). */
const followsLogs = (text: string): boolean =>
  /^\s*(\/k3sc\s+)?logs\b/.test(text) && /(^|\s)-[a-z]*f|--f/.test(text);
const lines = (seed: number): string[] =>
  fc
    .sample(line, { numRuns: RUNS * 2, seed })
    .filter((l) => !followsLogs(l))
    .slice(0, RUNS);

/** What a user must never see: a stack trace, an internal error, or nothing at all. */
const expectClear = (text: string, input: string): void => {
  expect(text.length, `no answer to ${JSON.stringify(input)}`).toBeGreaterThan(0);
  expect(text, input).not.toMatch(/internal error|\n\s+at [\w.<>]+ \(|TypeError|ReferenceError/);
};

let rig: ChatRig;
beforeAll(async () => {
  rig = await startChatRig(ALL_ADMIN, { settleEach: false });
  rig.farm.h.seedReady();
});
afterAll(async () => {
  await rig.close();
});

describe(`${RUNS} fuzzed command lines through each transport: no crash, a clear answer to each`, () => {
  it('Slack (signed slash commands over HTTP)', async () => {
    for (const text of lines(1)) {
      const before = rig.slackFake.records.length;
      const r = await rig.slack(text, 'UFUZZ');
      expect(r.status, text).toBe(200);
      if (text.replace(/^\s*\/?k3sc\b/, '').trim() === '') continue; // blank: the usage hint
      // A confirmation card is posted as the bot (chat.postMessage); anything else answers the response_url.
      const cards = rig.slackFake.records.slice(before).filter((x) => x.method === 'chat.postMessage');
      const answers = [...r.responses, ...cards];
      expect(answers.length, text).toBeGreaterThan(0);
      expectClear(JSON.stringify(answers.map((x) => x.body)), text);
    }
    expect(rig.audit.entries.filter((e) => e.result === 'internal')).toEqual([]);
  });

  it('Discord (signed interactions: subcommand and options made up from the same lines)', async () => {
    for (const text of lines(2)) {
      const [sub = '', ...rest] = text.split(' ');
      const options = Object.fromEntries(
        rest.map((w, i) => [i % 2 ? w.slice(0, 32) : 'issue', w.slice(0, 100)]),
      );
      const before = rig.discordFake.requests.length;
      const r = await rig.discord(sub.slice(0, 32), options, { id: '77' });
      expect(r.status, text).toBe(200);
      if (r.calls.length === 0) {
        // Answers sent after the router returned (the transport's own fallbacks): wait for them.
        await rig.settle();
        await rig.discordFake.waitFor((reqs) => reqs.length > before, 10_000);
        r.calls.push(...rig.discordFake.requests.slice(before));
      }
      expect(r.calls.length, text).toBeGreaterThan(0);
      expect(
        r.calls.every((c) => c.status < 400),
        text,
      ).toBe(true);
      expectClear(JSON.stringify(r.calls.map((c) => c.body ?? c.method)), text);
    }
    expect(rig.audit.entries.filter((e) => e.result === 'internal')).toEqual([]);
  });

  it('console (typed lines)', async () => {
    for (const text of lines(3)) {
      const out = await rig.console(text, { platform: 'console', userId: 'fuzz', display: 'fuzz' });
      if (text.replace(/^\s*\/?k3sc\b/, '').trim() === '' || /[\r\n]/.test(text)) continue;
      expectClear(out, text);
    }
    expect(rig.audit.entries.filter((e) => e.result === 'internal')).toEqual([]);
  });
});
