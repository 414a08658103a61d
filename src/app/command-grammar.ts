// Generated from src/bot/command-table.ts; command-grammar.test.ts checks it (K3SC_UPDATE_GRAMMAR=1 rewrites it).
import type { CommandGrammar } from './command-grammar-source.js';

/** The command table without its handlers and zod schemas: all the lean CLI path needs to parse argv. */
export const COMMAND_GRAMMAR: readonly CommandGrammar[] = [
  {
    name: 'top',
    args: [],
    options: ['--once', '--page <n>'],
  },
  {
    name: 'status',
    args: ['[issue]'],
    options: [],
  },
  {
    name: 'dispatch',
    args: [],
    options: ['--dry-run', '-o, --output <format>'],
  },
  {
    name: 'logs',
    args: ['<issue>'],
    options: ['-f, --follow', '--tail <n>', '--attempt <name>'],
  },
  {
    name: 'kill',
    args: ['<issue>'],
    options: ['--requeue'],
  },
  {
    name: 'reset',
    args: ['<issue>'],
    options: ['--to <state>'],
  },
  {
    name: 'claim',
    args: ['<issue>'],
    options: ['--owner <worker>'],
  },
  {
    name: 'pause',
    args: [],
    options: [],
  },
  {
    name: 'resume',
    args: [],
    options: [],
  },
  {
    name: 'scale',
    args: ['[slots]'],
    options: [],
  },
  {
    name: 'take',
    args: [],
    options: ['--worker <worker>'],
  },
  {
    name: 'release',
    args: ['[pr]'],
    options: ['--worker <worker>'],
  },
  {
    name: 'next',
    args: [],
    options: [],
  },
  {
    name: 'disable',
    args: ['<family>'],
    options: [],
  },
  {
    name: 'enable',
    args: ['<family>'],
    options: [],
  },
  {
    name: 'usage',
    args: [],
    options: ['--by <group>'],
  },
  {
    name: 'new',
    args: ['<repo>', '<title...>'],
    options: ['--body <text>'],
  },
  {
    name: 'configs',
    args: ['<action>', '[name]', '[target]'],
    options: [
      '--repo <repo>',
      '--family <family>',
      '--model <model>',
      '--template <text>',
      '--template-file <path>',
      '--deadline <duration>',
      '--max-turns <n>',
      '--budget <usd>',
    ],
  },
  {
    name: 'launch',
    args: ['<config>'],
    options: ['--title <title>', '--body <text>'],
  },
  {
    name: 'sessions',
    args: [],
    options: ['--once'],
  },
  {
    name: 'audit',
    args: [],
    options: ['--since <when>'],
  },
  {
    name: 'follow',
    args: ['<issue>'],
    options: [],
  },
  {
    name: 'unfollow',
    args: ['<issue>'],
    options: [],
  },
  {
    name: 'take-review',
    args: ['<issue>'],
    options: ['--worker <worker>'],
  },
  {
    name: 'deploy',
    args: [],
    options: [
      '--overlay <name>',
      '--namespace <ns>',
      '--server-config <file>',
      '--dry-run',
      '-o, --output <format>',
    ],
    local: true,
  },
  {
    name: 'rotate-secrets',
    args: [],
    options: ['--family <name>', '--namespace <ns>', '--dry-run'],
    local: true,
  },
];
