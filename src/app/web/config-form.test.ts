import { describe, expect, it } from 'vitest';
import { tokenize } from '../../bot/program.js';
import {
  checkConfigForm,
  emptyForm,
  formatDeadline,
  formOf,
  launchCommand,
  quote,
  readConfigForm,
  saveCommand,
  type ConfigFormValues,
} from './config-form.js';

const choices = { repos: ['acme/widgets', 'acme/gadgets'], families: ['claude', 'codex'] };
const good: ConfigFormValues = {
  ...emptyForm,
  name: 'fix-flaky',
  repo: 'acme/widgets',
  family: 'claude',
};
const check = (v: Partial<ConfigFormValues>, creating = true) =>
  checkConfigForm({ ...good, ...v }, { choices, creating });

describe('the config form', () => {
  it('accepts a good form, with or without the optional fields', () => {
    expect(check({})).toEqual({});
    expect(
      check({
        model: 'claude-sonnet-4-5',
        template: 'Fix: {{title}}\n\n{{ body }}',
        deadline: '1h30m',
        maxTurns: '40',
        budget: '2.5',
      }),
    ).toEqual({});
  });

  it('names every bad field with a clear message', () => {
    expect(check({ repo: '' }).repo).toBe('is required: pick a repository');
    expect(check({ family: '' }).family).toBe('is required: pick an agent family');
    expect(check({ name: '' }).name).toBe('is required, like fix-flaky');
    expect(check({ name: 'Fix Flaky' }).name).toContain('lowercase letters');
    expect(check({ repo: 'nope' }).repo).toContain('must be owner/name');
    expect(check({ repo: 'other/repo' }).repo).toBe(
      'is not a configured repository (acme/widgets, acme/gadgets)',
    );
    expect(check({ family: 'gemini' }).family).toBe('is not a configured family (claude, codex)');
    expect(check({ model: 'has spaces' }).model).toContain('no spaces');
    expect(check({ template: 'Fix {{titel}}' }).template).toContain('unknown variable {{titel}}');
    expect(check({ template: 'Fix {{title}' }).template).toContain('malformed');
    expect(check({ deadline: 'soon' }).deadline).toContain('a duration like 45m');
    expect(check({ deadline: '30s' }).deadline).toBe('must be at least 1m');
    expect(check({ deadline: '25h' }).deadline).toBe('must be at most 24h');
    expect(check({ maxTurns: '0' }).maxTurns).toBe('must be 1 or more');
    expect(check({ maxTurns: '1001' }).maxTurns).toBe('must be at most 1000');
    expect(check({ maxTurns: '2.5' }).maxTurns).toBe('must be a whole number like 30');
    expect(check({ maxTurns: '0x10' }).maxTurns).toBe('must be a whole number like 30');
    expect(check({ budget: '0' }).budget).toBe('must be more than 0');
    expect(check({ budget: '1e3' }).budget).toBe('must be a number of dollars like 2.5');
    expect(check({ budget: '5000' }).budget).toBe('must be at most 1000');
    expect(check({ template: 'x'.repeat(20_001) }).template).toContain('too long');
  });

  it('reports several bad fields at once', () => {
    expect(Object.keys(check({ repo: '', family: 'gemini', budget: '-1' })).sort()).toEqual([
      'budget',
      'family',
      'repo',
    ]);
  });

  it('keeps /configs/new for the page when creating, not when editing', () => {
    expect(check({ name: 'new' }).name).toContain('taken by the page itself');
    expect(check({ name: 'new' }, false)).toEqual({});
  });

  it('without choices checks the shape only (the router checks the farm)', () => {
    expect(checkConfigForm({ ...good, repo: 'other/repo' }, { creating: true })).toEqual({});
  });

  it('reads a posted body: trims, keeps the template’s lines, ignores non-strings', () => {
    const v = readConfigForm({
      name: ' fix-flaky ',
      repo: ['acme/widgets'],
      template: '  Fix:\r\n{{body}}\r\n\r\n',
      budget: 3,
    });
    expect(v).toMatchObject({ name: 'fix-flaky', repo: '', template: '  Fix:\n{{body}}', budget: '' });
    expect(readConfigForm(undefined)).toEqual(emptyForm);
  });

  it('shows a saved config’s limits the way they are typed', () => {
    expect(formatDeadline(2700)).toBe('45m');
    expect(formatDeadline(5400)).toBe('1h30m');
    expect(formatDeadline(7200)).toBe('2h');
    expect(formatDeadline(61)).toBe('61s');
    expect(
      formOf({
        name: 'a',
        repo: 'o/r',
        family: 'claude',
        template: 'x',
        deadlineSeconds: 900,
        budgetUsd: 2.5,
      }),
    ).toEqual({
      ...emptyForm,
      name: 'a',
      repo: 'o/r',
      family: 'claude',
      template: 'x',
      deadline: '15m',
      budget: '2.5',
    });
  });
});

describe('the command lines the page runs', () => {
  it('quotes every value so the router’s tokenizer gives it back whole', () => {
    for (const s of ['plain', 'two words', 'say "hi"', 'back\\slash', 'new\nline', '--template', "it's"])
      expect(tokenize(`x ${quote(s)}`)).toEqual(['x', s]);
  });

  it('builds configs save with only the filled fields', () => {
    const cmd = saveCommand({ ...good, template: 'Fix "{{title}}"\n{{body}}', maxTurns: '40' });
    expect(tokenize(cmd)).toEqual([
      'configs',
      'save',
      'fix-flaky',
      '--repo',
      'acme/widgets',
      '--family',
      'claude',
      '--template',
      'Fix "{{title}}"\n{{body}}',
      '--max-turns',
      '40',
    ]);
  });

  it('builds launch with an optional title and body, and refuses bad ones', () => {
    expect(launchCommand('fix-flaky', {})).toEqual({ ok: true, command: 'launch "fix-flaky"' });
    const r = launchCommand('fix-flaky', { title: ' Flaky "login" ', body: 'fails\r\n1 in 20' });
    expect(r.ok && tokenize(r.command)).toEqual([
      'launch',
      'fix-flaky',
      '--title',
      'Flaky "login"',
      '--body',
      'fails\n1 in 20',
    ]);
    expect(launchCommand('x', { title: 'a'.repeat(257) })).toEqual({
      ok: false,
      error: 'the title is too long (at most 256 characters)',
    });
  });
});
