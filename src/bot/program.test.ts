import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import type { CommandSpec } from './command-spec.js';
import { buildTableProgram, tokenize } from './program.js';

describe('tokenize', () => {
  it('splits on whitespace and keeps quoted words together', () => {
    expect(tokenize('  kill   acme/widgets#12  --requeue ')).toEqual([
      'kill',
      'acme/widgets#12',
      '--requeue',
    ]);
    expect(tokenize(`claim "a b"  'c  d' e`)).toEqual(['claim', 'a b', 'c  d', 'e']);
  });

  it('unescapes inside double quotes only, and keeps empty quoted words', () => {
    expect(tokenize(String.raw`say "he said \"hi\"" 'it\'s'`)).toEqual(['say', 'he said "hi"', 'it\\', "s'"]);
    expect(tokenize(`x "" ''`)).toEqual(['x', '', '']);
    expect(tokenize('')).toEqual([]);
  });
});

describe('buildTableProgram', () => {
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const calls: [string, Record<string, unknown>][] = [];
    const program = buildTableProgram(
      'k3sc',
      (spec: CommandSpec, args) => {
        calls.push([spec.name, args]);
        return Promise.resolve();
      },
      (s) => void out.push(s),
    );
    let error: unknown;
    await program.parseAsync(argv, { from: 'user' }).catch((e: unknown) => (error = e));
    return { out: out.join(''), calls, error };
  };

  it('passes positionals by name and options camelCased', async () => {
    const r = await run(['logs', 'o/r#1', '-f', '--tail', '5', '--json']);
    expect(r.calls).toEqual([['logs', { issue: 'o/r#1', follow: true, tail: '5', json: true }]]);
    expect((await run(['dispatch', '--dry-run'])).calls).toEqual([['dispatch', { dryRun: true }]]);
  });

  it('reports a missing argument through the output instead of exiting the process', async () => {
    const r = await run(['kill']);
    expect(r.error).toBeInstanceOf(CommanderError);
    expect(r.out).toContain("error: missing required argument 'issue'");
    expect(r.calls).toEqual([]);
    const unknown = await run(['kill', 'o/r#1', '--bogus']);
    expect(unknown.out).toContain("error: unknown option '--bogus'");
  });
});
