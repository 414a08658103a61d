import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { K3scError, type ErrorCode } from '../core/errors.js';
import { EXIT_CODES, exitCodeFor, exitCodeOfReply } from './exit-codes.js';
import { reportError, type ErrorContext } from './report-error.js';

let dir: string;
let printed: string;
const ctx = (over: Partial<ErrorContext> = {}): ErrorContext => ({
  dataDir: dir,
  secrets: [],
  interruptedBy: undefined,
  err: (t) => void (printed += t),
  ...over,
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3sc-report-'));
  printed = '';
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('one table maps error codes to exit codes', () => {
  it('covers every error code: 2 for input, 1 for could-not-do, 70 for bugs', () => {
    const codes: ErrorCode[] = [
      'bad_input',
      'not_found',
      'conflict',
      'forbidden',
      'ambiguous',
      'config_invalid',
      'state_corrupt',
      'unavailable',
      'rate_limited',
      'internal',
    ];
    expect(Object.keys(EXIT_CODES).sort()).toEqual([...codes].sort());
    expect(codes.map((c) => [c, exitCodeFor(c)])).toEqual([
      ['bad_input', 2],
      ['not_found', 1],
      ['conflict', 1],
      ['forbidden', 1],
      ['ambiguous', 2],
      ['config_invalid', 2],
      ['state_corrupt', 1],
      ['unavailable', 1],
      ['rate_limited', 1],
      ['internal', 70],
    ]);
    expect(exitCodeFor('made_up')).toBe(70);
  });

  it('reads a reply’s exit code from its error code', () => {
    expect(exitCodeOfReply({ slots: 3 })).toBe(0);
    expect(exitCodeOfReply({ error: { code: 'not_found', message: 'x' } })).toBe(1);
    expect(exitCodeOfReply({ error: { code: 'bad_input', message: 'x' } })).toBe(2);
    expect(exitCodeOfReply({ error: 'odd' })).toBe(70);
    expect(exitCodeOfReply(null)).toBe(0);
  });
});

describe('reportError', () => {
  it('shows a K3scError’s message and exits by its code', () => {
    expect(reportError(new K3scError('conflict', 'slot claude-a is busy'), ctx())).toBe(1);
    expect(printed).toBe('error: slot claude-a is busy\n');
  });

  it('maps commander’s own errors (help is 0, usage errors 2)', () => {
    expect(reportError(new CommanderError(0, 'commander.helpDisplayed', ''), ctx())).toBe(0);
    expect(reportError(new CommanderError(1, 'commander.unknownOption', 'bad'), ctx())).toBe(2);
  });

  it('turns an unexpected error into "internal error (ref …)", with the stack in the log file only', async () => {
    const boom = new TypeError('cannot read properties of undefined (reading "x")');
    expect(reportError(boom, ctx({ secrets: ['hunter2-secret'] }))).toBe(70);
    const file = join(dir, 'k3sc.log');
    const ref = /^error: internal error \(ref ([0-9a-f]{8})\); the details are in (.+)\n$/.exec(printed);
    expect(ref?.[2]).toBe(file);
    expect(printed).not.toContain('cannot read');
    const line = JSON.parse((await readFile(file, 'utf8')).trim()) as {
      ref: string;
      msg: string;
      error: { type: string; message: string; stack: string };
    };
    expect(line.ref).toBe(ref?.[1]);
    expect(line.msg).toBe('internal error');
    expect(line.error.type).toBe('TypeError');
    expect(line.error.stack).toContain('report-error.test');
  });

  it('says which signal stopped an aborted command', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(reportError(abort, ctx({ interruptedBy: 'SIGTERM' }))).toBe(143);
    expect(printed).toBe('k3sc: stopped by SIGTERM\n');
  });
});
