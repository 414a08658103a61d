import { describe, expect, it } from 'vitest';
import { COMMANDS, findCommand, helpText, usageLine } from './command-table.js';

const spec = (name: string) => {
  const c = findCommand(name);
  if (!c) throw new Error(name);
  return c;
};

describe('command table', () => {
  it('has unique names, each findable', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(findCommand(n)?.name).toBe(n);
    expect(findCommand('nope')).toBeUndefined();
  });

  it('writes usage lines with <required>, [optional] and the long option form', () => {
    expect(usageLine(spec('kill'))).toBe('kill <issue> [--requeue]');
    expect(usageLine(spec('status'))).toBe('status [issue]');
    expect(usageLine(spec('logs'))).toBe('logs <issue> [--follow] [--tail <n>] [--attempt <name>]');
    expect(usageLine(spec('reset'))).toBe('reset <issue> [--to <state>]');
    expect(usageLine(spec('pause'))).toBe('pause');
  });

  it('lists every command in the help, with its summary and role', () => {
    const help = helpText().split('\n');
    expect(help).toHaveLength(COMMANDS.length);
    COMMANDS.forEach((c, i) => {
      expect(help[i]).toContain(usageLine(c));
      expect(help[i]).toContain(`${c.summary} (${c.role})`);
    });
  });
});
