import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialDispatchState } from '../../core/model/dispatch-state.js';
import { isK3scError } from '../../core/errors.js';
import { openLowdbStateStore } from './lowdb-state-store.js';
import { makeAttempt } from './state-fixtures.js';

/** Opens `content` as a state file, expects refusal, and checks the file was left byte for byte. */
const refuse = async (path: string, content: string): Promise<string> => {
  await writeFile(path, content);
  const before = await readFile(path);
  const error: unknown = await openLowdbStateStore({ path }).then(
    async (s) => {
      await s.close();
      return undefined;
    },
    (err: unknown) => err,
  );
  expect(isK3scError(error, 'state_corrupt')).toBe(true);
  expect((await readFile(path)).equals(before)).toBe(true);
  await expect(readFile(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  return (error as Error).message;
};

const validFile = (): Record<string, unknown> => ({
  version: 1,
  attempts: { 'acme-widgets-12-1': makeAttempt() },
  leases: {},
  dispatch: initialDispatchState(),
});

describe('LowdbStateStore refuses a state file it cannot trust, and leaves it untouched', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k3sc-corrupt-'));
    path = join(dir, 'state.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts a valid file (the baseline for the cases below)', async () => {
    await writeFile(path, JSON.stringify(validFile()));
    const store = await openLowdbStateStore({ path });
    expect(await store.listAttempts()).toEqual([makeAttempt()]);
    await store.close();
  });

  it('rejects a file that is not JSON', async () => {
    const message = await refuse(path, '{"version": 1, "attempts": {');
    expect(message).toContain(`state file ${path} is not valid JSON`);
    expect(message).toContain('k3sc did not change it; fix it or move it aside to start empty');
  });

  it('rejects a file holding JSON null instead of treating it as absent and overwriting it (A14)', async () => {
    const message = await refuse(path, 'null\n');
    expect(message).toContain(`state file ${path} holds null, not a state document`);
    expect(message).toContain('k3sc did not change it');
  });

  it.each([
    ['[]', 'holds a list'],
    ['5', 'holds a number'],
    ['"state"', 'holds a string'],
  ])('rejects a file holding %s, saying what it holds', async (content, says) => {
    expect(await refuse(path, content)).toContain(says);
  });

  it('rejects an empty file', async () => {
    expect(await refuse(path, '')).toContain('is not valid JSON');
  });

  it('reports each bad field with its JSON path', async () => {
    const file = validFile();
    file['attempts'] = { 'acme-widgets-12-1': { ...makeAttempt(), seq: 'one', colour: 'red' } };
    file['dispatch'] = { ...initialDispatchState(), paused: undefined, quotaUntil: { claude: 'tomorrow' } };
    const message = await refuse(path, JSON.stringify(file, null, 2));
    expect(message).toContain(`state file ${path} does not match the expected schema`);
    expect(message).toMatch(/attempts\["acme-widgets-12-1"\]\.seq: .*number/);
    expect(message).toContain('attempts["acme-widgets-12-1"]: Unrecognized key: "colour"');
    expect(message).toContain('dispatch.paused:');
    expect(message).toContain('dispatch.quotaUntil.claude:');
    expect(message).toContain('k3sc did not change it; fix it or move it aside to start empty');
  });

  it('rejects a record filed under a key other than its name', async () => {
    const file = { ...validFile(), attempts: { 'acme-widgets-12-9': makeAttempt() } };
    expect(await refuse(path, JSON.stringify(file))).toContain(
      'attempts["acme-widgets-12-9"].name: must equal its key',
    );
  });

  it('rejects a file with a missing section or no version', async () => {
    const { dispatch: _d, version: _v, ...rest } = validFile();
    const message = await refuse(path, JSON.stringify(rest));
    expect(message).toContain('version:');
    expect(message).toContain('dispatch:');
  });

  it('rejects a file written by a newer k3sc with a clear message', async () => {
    const message = await refuse(path, JSON.stringify({ ...validFile(), version: 2, somethingNew: {} }));
    expect(message).toContain('has version 2, but this k3sc reads version 1 only');
    expect(message).toContain('Upgrade k3sc');
  });
});
