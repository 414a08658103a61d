import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../adapters/config/index.js';
import { findCommand } from '../bot/command-table.js';
import { parseForwardable } from './forward-cli.js';
import { runLocalCommand } from './deploy-cli.js';

const config = parseConfigText('repos: [acme/widgets]\nallowed_authors: [alice]\n', {}, '/etc/k3sc.yaml', {
  homeDir: '/home/me',
}).config;

describe('deploy and rotate-secrets are CLI-only table commands', () => {
  it('are never forwarded to a running serve (the lean path leaves them to main)', async () => {
    expect(await parseForwardable(['deploy', '--dry-run'], undefined)).toBeUndefined();
    expect(await parseForwardable(['rotate-secrets', '--family', 'claude'], undefined)).toBeUndefined();
    expect(await parseForwardable(['top', '--once'], undefined)).toMatchObject({ name: 'top' });
  });

  it('refuse to run from chat or the console, as admin-only rows', async () => {
    for (const name of ['deploy', 'rotate-secrets']) {
      const spec = findCommand(name)!;
      expect(spec.role).toBe('admin');
      expect(spec.cliOnly).toBe(true);
      const reply = await spec.run({} as never, {});
      expect(JSON.stringify(reply.data)).toContain(`${name} runs only from the CLI`);
      expect(reply.exitCode).toBe(2);
    }
  });

  it('check their arguments before touching a cluster', async () => {
    const out: string[] = [];
    const io = { config, out: (s: string) => void out.push(s), err: (s: string) => void out.push(s) };
    expect(await runLocalCommand(findCommand('deploy')!, { output: 'yaml' }, io)).toBe(2);
    expect(out.join('')).toContain('--output yaml needs --dry-run');
    expect(await runLocalCommand(findCommand('deploy')!, { namespace: 'Bad_NS', json: true }, io)).toBe(2);
    expect(out.join('')).toContain('--namespace must be a Kubernetes namespace name');
  });
});
