import { positionalSyntax, type CommandSpec } from './command-spec.js';
import { CLI_ONLY_COMMANDS } from './cli-only-commands.js';
import { COMMANDS, usageLine } from './command-table.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** A markdown table with padded columns, the way prettier writes it (so `npm run format` keeps it). */
const mdTable = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => {
  const all = [head, ...rows].map((r) => r.map(cell));
  const widths = head.map((_, i) => Math.max(3, ...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    `| ${widths.map((w, i) => (r[i] ?? '').padEnd(w)).join(' | ')} |`;
  const [first = [], ...rest] = all;
  return [line(first), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rest.map(line)];
};

const section = (c: CommandSpec): string => {
  const lines = [
    `## ${c.name}`,
    '',
    c.summary.endsWith('.') ? c.summary : `${c.summary}.`,
    '',
    '```sh',
    `k3sc ${usageLine(c)}`,
    '```',
    '',
    `Role: **${c.role}** or higher.`,
  ];
  const args = [
    ...(c.positionals ?? []).map((p) => [`\`${positionalSyntax(p)}\``, p.description]),
    ...(c.options ?? []).map((o) => [`\`${o.flags}\``, o.description]),
    ['`--json`', 'print machine-readable JSON'],
  ];
  lines.push('', ...mdTable(['argument', 'meaning'], args));
  if (c.examples?.length)
    lines.push('', 'Examples:', '', '```sh', ...c.examples.map((e) => `k3sc ${e}`), '```');
  return lines.join('\n');
};

/** docs/commands.md, generated from the command table (a test keeps the file in step). */
export const commandsMarkdown = (): string =>
  [
    '# Commands',
    '',
    '<!-- Generated from src/bot/command-table.ts by commandsMarkdown() in src/bot/commands-doc.ts; do not edit by hand. -->',
    '',
    'Every command works from the CLI (`k3sc <command>`), from the console chat of `k3sc serve`',
    '(a leading `/k3sc` is optional there), and prints JSON with `--json`. Roles rank',
    "`viewer` < `operator` < `admin`. The CLI and the console are the machine's own user and act",
    'as admin; a chat user gets the highest role `rbac` gives their user or group ids, and is a',
    'viewer when no list names them (see [architecture](architecture.md#transports-routing-and-authorization)).',
    '',
    ...mdTable(
      ['command', 'role', 'what it does'],
      COMMANDS.map((c) => [`[\`${c.name}\`](#${c.name})`, c.role, c.summary]),
    ),
    '',
    ...COMMANDS.map((c) => `${section(c)}\n`),
    '## CLI-only commands',
    '',
    'These run on the machine (or in the agent pod) itself: never from chat, never forwarded to `serve`.',
    '',
    ...CLI_ONLY_COMMANDS.map((c) =>
      [
        `### ${c.name}`,
        '',
        `${c.summary}.`,
        '',
        '```sh',
        `k3sc ${c.usage}`,
        '```',
        '',
        ...c.details.map((d) => `- ${d}`),
        '',
      ].join('\n'),
    ),
  ].join('\n');
