import { describe, expect, it } from 'vitest';
import { parseAction, safeBack } from './web-actions.js';

const cmd = (form: Record<string, string>): string => {
  const r = parseAction(form);
  if (!r.ok || !('command' in r)) throw new Error(JSON.stringify(r));
  return r.command;
};
const err = (form: Record<string, unknown>): string => {
  const r = parseAction(form);
  if (r.ok) throw new Error(`expected an error for ${JSON.stringify(form)}`);
  return r.error;
};

describe('the page’s forms as command lines', () => {
  it('builds the command of every action', () => {
    expect(cmd({ action: 'dispatch' })).toBe('dispatch');
    expect(cmd({ action: 'pause', confirm: 'yes' })).toBe('pause');
    expect(cmd({ action: 'resume' })).toBe('resume');
    expect(cmd({ action: 'kill', issue: 'o/r#3', confirm: 'yes' })).toBe('kill o/r#3');
    expect(cmd({ action: 'requeue', issue: 'r#3', confirm: 'yes' })).toBe('kill r#3 --requeue');
    expect(cmd({ action: 'enable', family: 'codex' })).toBe('enable codex');
    expect(cmd({ action: 'disable', family: 'claude' })).toBe('disable claude');
    expect(cmd({ action: 'scale', slots: '4', confirm: 'yes' })).toBe('scale 4');
    expect(cmd({ action: 'take' })).toBe('take');
    expect(cmd({ action: 'take', worker: 'claude-b' })).toBe('take --worker claude-b');
    expect(cmd({ action: 'release', pr: 'o/r#9' })).toBe('release o/r#9');
  });

  it('asks before a kill', () => {
    const r = parseAction({ action: 'kill', issue: 'o/r#3' });
    expect(r).toMatchObject({
      ok: true,
      confirm: expect.stringContaining('Kill the running attempt of o/r#3'),
    });
  });

  it('asks before pause and scale, keeping the slots for the confirm form', () => {
    expect(parseAction({ action: 'pause' })).toMatchObject({
      ok: true,
      fields: { action: 'pause' },
      confirm: expect.stringContaining('Pause the farm?'),
    });
    expect(parseAction({ action: 'scale', slots: '07' })).toMatchObject({
      ok: true,
      fields: { action: 'scale', slots: '7' },
      confirm: 'Scale the farm to 7 slot(s)?',
    });
  });

  it('refuses bad input on every form with a clear message', () => {
    expect(err({})).toContain('unknown action ""');
    expect(err({ action: 'rm -rf' })).toContain('unknown action "rm -rf"');
    expect(err({ action: ['kill'] })).toContain('unknown action');
    expect(err({ action: 'kill' })).toBe('kill needs an issue (owner/repo#N)');
    expect(err({ action: 'kill', issue: 'o/r#3 --requeue', confirm: 'yes' })).toContain(
      'is not an issue reference',
    );
    expect(err({ action: 'requeue', issue: '$(x)' })).toContain('is not an issue reference');
    expect(err({ action: 'enable' })).toBe('enable needs a family name like claude');
    expect(err({ action: 'disable', family: 'a b' })).toBe('disable needs a family name like claude');
    expect(err({ action: 'scale', slots: '-1' })).toContain('from 0 to 64');
    expect(err({ action: 'scale', slots: '65' })).toContain('from 0 to 64');
    expect(err({ action: 'scale', slots: '2.5' })).toContain('from 0 to 64');
    expect(err({ action: 'scale' })).toContain('from 0 to 64');
    expect(err({ action: 'take', worker: '--all' })).toContain('is not a worker name');
    expect(err({ action: 'release' })).toContain('release needs a pull request');
    expect(err({ action: 'release', pr: 'x' })).toContain('release needs a pull request');
  });

  it('only goes back to pages under the base path', () => {
    expect(safeBack('/k3sc', '/k3sc/issue?ref=o%2Fr%233')).toBe('/k3sc/issue?ref=o%2Fr%233');
    expect(safeBack('/k3sc', 'https://evil.example/')).toBe('/k3sc/');
    expect(safeBack('', '//evil.example/')).toBe('/');
    expect(safeBack('', undefined)).toBe('/');
  });
});
