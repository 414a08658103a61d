import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../core/model/settings.js';
import { EARLIER_TOOL_EXAMPLE } from './config-fixtures.js';
import { toEngineSettings } from './engine-settings.js';
import { parseConfigText } from './parse-config-text.js';

const parse = (text: string) => parseConfigText(text, {}, '/etc/k3sc.yaml', { homeDir: '/home/me' }).config;

describe('toEngineSettings', () => {
  it('equals DEFAULT_ENGINE_SETTINGS for an empty config', () => {
    expect(toEngineSettings(parse(''))).toEqual({
      ...DEFAULT_ENGINE_SETTINGS,
      repos: [],
      allowedAuthors: [],
    });
  });

  it('maps every configured value', () => {
    const text = `${EARLIER_TOOL_EXAMPLE}families: {claude: {enabled: true}, codex: {enabled: false}}
safety: {branch_pattern: "agent/issue-{N}"}
runtime: {attempt_deadline: 90m, max_attempts: 5, retry_backoff: [30s, 2m, 10m], orphan_grace: 15m}
leases: {ttl: 6h}
`;
    expect(toEngineSettings(parse(text))).toEqual({
      repos: [
        { owner: 'abix-', name: 'endless' },
        { owner: 'abix-', name: 'k3sc' },
      ],
      allowedAuthors: ['abix-'],
      families: [
        { name: 'claude', enabled: true },
        { name: 'codex', enabled: false },
      ],
      maxSlots: 5,
      scan: { minIntervalMs: 120_000, maxIntervalMs: 3_600_000, taskTtlMs: 86_400_000 },
      branchPattern: 'agent/issue-{N}',
      maxAttempts: 5,
      maxQuotaBounces: 6,
      retryBackoffMs: [30_000, 120_000, 600_000],
      orphanGraceMs: 900_000,
      leaseTtlMs: 21_600_000,
      attemptDeadlineSeconds: 5_400,
    });
  });

  it('rounds a sub-second deadline up to whole seconds', () => {
    expect(toEngineSettings(parse('runtime: {attempt_deadline: 1500ms}')).attemptDeadlineSeconds).toBe(2);
  });
});
