import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Manifest {
  features: {
    slash_commands: { command: string; url?: string }[];
    shortcuts: { type: string; callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

describe('docs/slack-app-manifest.yaml', () => {
  it('declares /k3sc, the scopes k3sc uses, interactivity, the k3sc_new_issue shortcut and Socket Mode', async () => {
    const m = parse(
      await readFile(new URL('../../docs/slack-app-manifest.yaml', import.meta.url), 'utf8'),
    ) as Manifest;
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(['/k3sc']);
    // Socket Mode needs no request URL (and Slack rejects one there).
    expect(m.features.slash_commands[0]?.url).toBeUndefined();
    expect(m.features.shortcuts).toContainEqual(
      expect.objectContaining({ type: 'message', callback_id: 'k3sc_new_issue' }),
    );
    expect(m.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'commands',
        'chat:write',
        'files:write',
        'usergroups:read',
        'channels:history',
        'groups:history',
      ]),
    );
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.socket_mode_enabled).toBe(true);
  });
});
