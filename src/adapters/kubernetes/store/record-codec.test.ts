import { describe, expect, it } from 'vitest';
import { attemptSchema } from '../../store/record-schemas.js';
import { makeAttempt } from '../../store/state-fixtures.js';
import { readSpec } from './record-codec.js';

const describeIt = (n: string): string => `AgentJob claude-agents/${n}`;
const read = (name: string, spec: unknown): unknown =>
  readSpec(attemptSchema, { metadata: { name }, spec }, describeIt, (a) => a.name);

describe('reading a custom resource back', () => {
  it('returns a valid spec as the record', () => {
    expect(read('acme-widgets-12-1', makeAttempt())).toEqual(makeAttempt());
  });

  it('names the object and each bad field of a badly edited one', () => {
    expect(() => read('acme-widgets-12-1', { ...makeAttempt(), seq: 0, phase: 'done' })).toThrow(
      expect.objectContaining({
        code: 'state_corrupt',
        message: expect.stringMatching(
          /^AgentJob claude-agents\/acme-widgets-12-1 is invalid: spec\.seq: .*; spec\.phase: .*fix it with kubectl edit/,
        ) as string,
      }),
    );
  });

  it('refuses a spec copied under another object name', () => {
    expect(() => read('acme-widgets-12-9', makeAttempt())).toThrow(/spec names another record/);
  });
});
