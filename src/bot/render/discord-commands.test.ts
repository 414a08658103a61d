import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../command-table.js';
import { discordCommands, discordCommandText, isDiscordSubcommand } from './discord-commands.js';

const sub = (name: string, options: Record<string, string | boolean> = {}) => ({
  options: [
    {
      name,
      type: 1,
      options: Object.entries(options).map(([n, value]) => ({
        name: n,
        type: typeof value === 'boolean' ? 5 : 3,
        value,
      })),
    },
  ],
});

describe('discord command definitions from the command table', () => {
  const [k3sc] = discordCommands();

  it('has one subcommand per table row plus help, inside Discord limits', () => {
    expect(k3sc?.name).toBe('k3sc');
    const subs = k3sc?.options ?? [];
    // CLI-only rows (deploy, rotate-secrets) are never offered in Discord.
    expect(subs.map((s) => s.name)).not.toContain('deploy');
    expect(subs.map((s) => s.name)).toEqual([
      ...COMMANDS.filter((c) => !c.cliOnly).map((c) => c.name),
      'help',
    ]);
    expect(subs.length).toBeLessThanOrEqual(25);
    for (const s of subs) {
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.description.length).toBeLessThanOrEqual(100);
      const opts = s.options ?? [];
      expect(opts.length).toBeLessThanOrEqual(25);
      // Required options first, names Discord accepts.
      const firstOptional = opts.findIndex((o) => o.required !== true);
      if (firstOptional >= 0) expect(opts.slice(firstOptional).every((o) => o.required !== true)).toBe(true);
      for (const o of opts) expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
    }
  });

  it('maps positionals to strings and flags to booleans or strings', () => {
    const logs = k3sc?.options.find((s) => s.name === 'logs');
    expect(logs?.options?.map((o) => [o.name, o.type, o.required])).toEqual([
      ['issue', 3, true],
      ['follow', 5, false],
      ['tail', 3, false],
      ['attempt', 3, false],
    ]);
  });
});

describe('discordCommandText', () => {
  it('builds the command line in the table order, whatever order Discord sends', () => {
    expect(discordCommandText(sub('reset', { to: 'needs-human', issue: 'acme/w#3' }))).toBe(
      'reset acme/w#3 --to needs-human',
    );
    expect(discordCommandText(sub('kill', { requeue: true, issue: 'acme/w#3' }))).toBe(
      'kill acme/w#3 --requeue',
    );
    expect(discordCommandText(sub('kill', { requeue: false, issue: 'acme/w#3' }))).toBe('kill acme/w#3');
    expect(discordCommandText(sub('top'))).toBe('top');
  });

  it('quotes values with spaces or quotes so the router sees one argument', () => {
    expect(discordCommandText(sub('claim', { issue: 'a b "c"' }))).toBe('claim "a b \\"c\\""');
  });

  it('passes unknown subcommands by name and knows which are known', () => {
    expect(discordCommandText(sub('frobnicate'))).toBe('frobnicate');
    expect(discordCommandText(undefined)).toBe('help');
    expect(isDiscordSubcommand(sub('frobnicate'))).toBe(false);
    expect(isDiscordSubcommand(sub('help'))).toBe(true);
    expect(isDiscordSubcommand(sub('top'))).toBe(true);
  });
});
