import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS, usageLine } from './command-table.js';
import { localIdentity } from '../core/api/farm-api.js';
import { consoleTransport } from './console-chat.js';
import { harnessFarm, harnessRouter } from './__tests__/harness-farm.js';

const consoleOf = (input: PassThrough, out: string[], greeting?: string) =>
  consoleTransport({
    rl: createInterface({ input, output: new PassThrough(), terminal: false, prompt: 'k3sc> ' }),
    write: (s) => void out.push(s),
    who: localIdentity('console', 'ada'),
    ...(greeting ? { greeting } : {}),
  });

/** Types `lines` into a console chat, closes stdin, and returns everything it wrote. */
const chat = async (lines: readonly string[], setup = harnessFarm()) => {
  const input = new PassThrough();
  const out: string[] = [];
  const { router, audit } = harnessRouter(setup);
  const transport = consoleOf(input, out);
  await transport.start(router, AbortSignal.timeout(20_000));
  input.end(lines.map((l) => `${l}\n`).join(''));
  await transport.closed;
  return { text: out.join(''), audit, ...setup };
};

afterEach(() => vi.restoreAllMocks());

describe('console chat', () => {
  it('help lists every command of the table', async () => {
    const { text } = await chat(['help']);
    expect(text.startsWith('commands:\n')).toBe(true);
    for (const c of COMMANDS) expect(text).toContain(usageLine(c));
  });

  it('top renders the dashboard with its actions', async () => {
    const setup = harnessFarm();
    const ref = setup.h.seedReady({ title: 'Add a widget' });
    const { text } = await chat(['top'], setup);
    expect(text).toContain('runtime:  memory');
    expect(text).toContain('slots:    0/5 busy');
    expect(text).toMatch(new RegExp(`o/r#${ref.number}\\s+ready\\s+dispatch to claude-a`));
    expect(text).toContain('actions: [Dispatch now] (dispatch)');
  });

  it('prints an error line for a bad command and keeps going', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('process.exit called');
    });
    const { text, audit } = await chat([
      'kill nope#1',
      'kill',
      'frob',
      'scale 4',
      '/k3sc status',
      'k3sc pause',
    ]);
    expect(text).toContain('error: no configured repository is named nope (known: o/r)');
    expect(text).toContain("error: missing required argument 'issue'");
    expect(text).toContain("error: unknown command 'frob'");
    expect(text).toContain('type "help" for the list of commands');
    expect(text).toContain('max slots 4 (configured 5)');
    expect(text).toContain('dispatch: running');
    expect(text).toContain('dispatch paused; running attempts continue');
    expect(exit).not.toHaveBeenCalled();
    expect(audit.entries.map((e) => [e.command, e.result, e.where, e.actor, e.cid])).toEqual([
      ['kill', 'not_found', 'console', 'console:ada', 'cmd-1'],
      ['scale', 'ok', 'console', 'console:ada', 'cmd-2'],
      ['status', 'ok', 'console', 'console:ada', 'cmd-3'],
      ['pause', 'ok', 'console', 'console:ada', 'cmd-4'],
    ]);
  });

  it('prints --json replies as data and ignores blank lines', async () => {
    const { text } = await chat(['', '   ', 'scale --json']);
    expect(JSON.parse(text)).toEqual({ maxSlots: 5, configured: 5 });
  });

  it('stops when the signal aborts', async () => {
    const setup = harnessFarm();
    const { router } = harnessRouter(setup);
    const abort = new AbortController();
    const transport = consoleOf(new PassThrough(), []);
    await transport.start(router, abort.signal);
    abort.abort();
    await expect(transport.closed).resolves.toBeUndefined();
  });

  it('stop() ends a command in flight (logs -f) and waits for it', async () => {
    const setup = harnessFarm();
    const ref = setup.h.seedReady();
    await setup.h.engine.pass();
    const [attempt] = await setup.h.attempts();
    if (!attempt) throw new Error('no attempt started');
    setup.h.runtime.write(attempt.name, 'first line\n');
    const { router } = harnessRouter(setup);
    const input = new PassThrough();
    const out: string[] = [];
    const transport = consoleOf(input, out, 'console chat: hello');
    await transport.start(router, AbortSignal.timeout(20_000));
    input.write(`logs o/r#${ref.number} -f\n`);
    await vi.waitFor(() => expect(out.join('')).toContain('first line\n'));
    await transport.stop();
    expect(out[0]).toBe('console chat: hello\n');
    expect(out.join('')).toContain(`-- end of ${attempt.name} --`);
  });
});

describe('viewing commands', () => {
  it('top inside serve never dispatches, even when the queue is empty', async () => {
    const setup = harnessFarm({ serving: true });
    const ref = setup.h.seedReady();
    const { text, h } = await chat(['top', 'status'], setup);
    expect(text).toMatch(new RegExp(`o/r#${ref.number}\\s+ready\\s+dispatch to claude-a`));
    expect(await h.attempts()).toEqual([]);
    expect(h.tracker.labels(ref)).toEqual(['ready']);
  });
});
