import { describe, expect, it } from 'vitest';
import type { RunnerSpec } from '../../core/protocol/runner-spec.js';
import { splitSpecSecrets } from './spec-secrets.js';

const spec = (env: Record<string, string> | undefined): RunnerSpec => ({
  attemptName: 'acme-widgets-12-1',
  repo: { owner: 'acme', name: 'widgets' },
  issue: 12,
  kind: 'implement',
  family: 'claude',
  slot: 'claude-a',
  branch: 'issue-12',
  workspace: '/tmp/ws',
  github: { apiUrl: 'https://api.github.com' },
  agent: { command: ['claude'], ...(env === undefined ? {} : { env }) },
  safety: { ghAllowed: [], blockedCommitWords: [] },
  deadlineSeconds: 600,
});

describe('splitSpecSecrets', () => {
  it('moves out what config check masks: secret names (SIGNING_KEY, DB_PASS) and token-shaped values', () => {
    const { spec: kept, secrets } = splitSpecSecrets(
      spec({
        SIGNING_KEY: 'sign-me',
        DB_PASS: 'hunter22',
        ANTHROPIC_API_KEY: 'k',
        NOTE: 'sk-proj-AbCdEfGhIjKlMnOp1234567890QrStUvWx',
        LOG_LEVEL: 'debug',
        MAX_TOKENS: '32000',
      }),
    );
    expect(secrets).toEqual({
      SIGNING_KEY: 'sign-me',
      DB_PASS: 'hunter22',
      ANTHROPIC_API_KEY: 'k',
      NOTE: 'sk-proj-AbCdEfGhIjKlMnOp1234567890QrStUvWx',
    });
    expect(kept.agent.env).toEqual({ LOG_LEVEL: 'debug', MAX_TOKENS: '32000' });
  });

  it('returns the spec unchanged when nothing is secret', () => {
    const s = spec({ LOG_LEVEL: 'debug' });
    expect(splitSpecSecrets(s)).toEqual({ spec: s, secrets: {} });
    expect(splitSpecSecrets(spec(undefined)).secrets).toEqual({});
  });
});
