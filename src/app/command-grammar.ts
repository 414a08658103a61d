// Generated from src/bot/command-table.ts; command-grammar.test.ts checks it (K3SC_UPDATE_GRAMMAR=1 rewrites it).
import type { CommandGrammar } from './command-grammar-source.js';

/** The command table without its handlers and zod schemas: all the lean CLI path needs to parse argv. */
export const COMMAND_GRAMMAR: readonly CommandGrammar[] = [
  {
    name: 'top',
    args: [],
    options: ['--once'],
  },
  {
    name: 'status',
    args: ['[issue]'],
    options: [],
  },
  {
    name: 'dispatch',
    args: [],
    options: ['--dry-run'],
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
];
