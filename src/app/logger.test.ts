import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

const KNOWN = 'db-pass-planted-4711';
const SHAPED = 'ghp_0123456789abcdefABCDEF0123456789abcd';

const capture = (): { lines: string[]; stream: Writable } => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
};

describe('createLogger', () => {
  it('scrubs known secrets and token shapes from messages, fields, errors and child bindings', () => {
    const { lines, stream } = capture();
    const log = createLogger({ destination: stream, secrets: [KNOWN] });
    log.info({}, `the agent said ${KNOWN} and ${SHAPED}`);
    log.info({ nested: { note: `value ${KNOWN}` }, list: [SHAPED] }, 'fields');
    log.error({ err: new Error(`git push failed for https://x:${SHAPED}@github.com`) }, 'push failed');
    log.child({ attempt: `a-${KNOWN}` }).warn({}, 'child');
    log.info({ token: 'not-shaped-but-under-a-secret-key' }, 'by key');
    const text = lines.join('');
    expect(lines).toHaveLength(5);
    expect(text).not.toContain(KNOWN);
    expect(text).not.toContain(SHAPED);
    expect(text).not.toContain('not-shaped-but-under-a-secret-key');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]?.['msg']).toBe('the agent said *** and ***');
    expect(parsed[1]).toMatchObject({ nested: { note: 'value ***' }, list: ['***'] });
    // The error keeps its message and stack (only the secret inside is gone).
    expect(parsed[2]?.['err']).toMatchObject({ message: 'git push failed for https://x:***@github.com' });
    expect(parsed[3]).toMatchObject({ attempt: 'a-***' });
  });

  it('leaves ordinary lines alone', () => {
    const { lines, stream } = capture();
    createLogger({ destination: stream }).info(
      { issue: 'acme/widgets#12', model: 'claude-sonnet-4-5' },
      'started',
    );
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      issue: 'acme/widgets#12',
      model: 'claude-sonnet-4-5',
      msg: 'started',
    });
  });
});
