import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from './parse-config-text.js';

const DOC = new URL('../../../docs/configuration.md', import.meta.url);

describe('docs/configuration.md', () => {
  it('has a full example that loads without errors, warning only about what is not supported yet', async () => {
    const doc = await readFile(DOC, 'utf8');
    const example = /## Full example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const env = {
      K3SC_WEBHOOK_SECRET: 'hook',
      SLACK_BOT_TOKEN: 'b',
      SLACK_APP_TOKEN: 'xapp-a',
      SLACK_SIGNING_SECRET: 'signing-secret',
      DISCORD_TOKEN: 'd',
    };
    const { config, warnings } = parseConfigText(example ?? '', env, '/etc/k3sc.yaml', {
      homeDir: '/home/me',
      secretFiles: { '/home/me/.gh-token': 'file-token' },
    });
    expect(warnings).toEqual([]);
    expect(config.repos).toHaveLength(2);
    expect(config.github.auth).toEqual({
      kind: 'token',
      token: 'file-token',
      source: 'file:/home/me/.gh-token',
    });
    expect(config.runtime.kubernetes.runtimeClass).toBe('kata-fc');
    expect(config.agents['codex']?.command).toEqual(['codex', 'exec', '--full-auto', '{prompt}']);
    expect(config.agents['claude']?.env).toEqual({ CLAUDE_CODE_MAX_OUTPUT_TOKENS: '32000' });
  });

  it('lists every top-level key the schema knows', async () => {
    const doc = await readFile(DOC, 'utf8');
    const { rawConfigSchema } = await import('./schema.js');
    for (const key of Object.keys(rawConfigSchema.shape)) expect(doc).toContain(`\`${key}`);
  });
});
