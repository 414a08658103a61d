import { describe, expect, it } from 'vitest';
import { isK3scError } from '../errors.js';
import { parseRunnerSpec } from './runner-spec.js';

const valid = {
  attemptName: 'acme-widgets-12-1',
  repo: { owner: 'acme', name: 'widgets' },
  issue: 12,
  kind: 'implement',
  family: 'claude',
  slot: 'claude-a',
  branch: 'issue-12',
  workspace: '/data/workspaces/claude-a',
  github: { apiUrl: 'http://127.0.0.1:1234' },
  agent: { command: ['claude', '-p', '{prompt}'] },
  safety: { ghAllowed: ['pr view'], blockedCommitWords: ['fixes'] },
  deadlineSeconds: 3600,
};

describe('parseRunnerSpec', () => {
  it('accepts a complete spec', () => {
    expect(parseRunnerSpec(valid).branch).toBe('issue-12');
  });

  it('lists every problem with its path', () => {
    try {
      parseRunnerSpec({ ...valid, workspace: 'relative/dir', kind: 'merge', agent: { command: [] } });
      expect.unreachable();
    } catch (err) {
      expect(isK3scError(err, 'bad_input')).toBe(true);
      const msg = (err as Error).message;
      expect(msg).toContain('workspace: must be an absolute path');
      expect(msg).toContain('kind:');
      expect(msg).toContain('agent.command:');
    }
  });
});
