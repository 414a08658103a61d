import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../bot/command-table.js';
import { startDiscordFake, type DiscordFake } from '../sandbox/discord-fake/index.js';
import { K3SC_ENV_KEYS, cli } from './__tests__/main-in-process.js';
import { parseConfigText } from '../adapters/config/index.js';
import { discordCommands } from '../bot/render/discord-commands.js';
import { discordCommandProblems } from '../bot/render/discord-command-limits.js';
import { registerDiscord } from './discord-register.js';
import { tempHome, type TempHome } from './__tests__/temp-home.js';

let fake: DiscordFake;
let home: TempHome;

beforeAll(async () => {
  fake = await startDiscordFake();
  home = await tempHome(
    `repos: [acme/widgets]\nallowed_authors: [alice]\nchat:\n  discord:\n    application_id: '${fake.applicationId}'\n    api_url: ${fake.apiUrl}\n`,
  );
});
afterAll(async () => {
  await fake.close();
  await home.cleanup();
});
beforeEach(() => {
  for (const k of [...K3SC_ENV_KEYS, 'DISCORD_TOKEN', 'DISCORD_PUBLIC_KEY']) vi.stubEnv(k, undefined);
});
afterEach(() => vi.unstubAllEnvs());

type Registered = { name: string; options: { name: string }[] };

describe('k3sc discord register', () => {
  it('PUTs /k3sc with a subcommand per command-table row into one guild', async () => {
    vi.stubEnv('DISCORD_TOKEN', fake.botToken);
    const r = await cli('--config', home.configPath, 'discord', 'register', '--guild', '42');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`in guild 42 for application ${fake.applicationId}`);
    const [k3sc] = (fake.commands.get('42') ?? []) as Registered[];
    expect(k3sc?.name).toBe('k3sc');
    expect(k3sc?.options.map((o) => o.name)).toEqual([
      ...COMMANDS.filter((c) => !c.cliOnly).map((c) => c.name),
      'help',
    ]);
    const put = fake.requests.find((q) => q.path.endsWith('/guilds/42/commands'));
    expect(put).toMatchObject({ method: 'PUT', auth: `Bot ${fake.botToken}` });
  });

  it('registers globally without --guild', async () => {
    vi.stubEnv('DISCORD_TOKEN', fake.botToken);
    const r = await cli('--config', home.configPath, 'discord', 'register');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('globally');
    expect(fake.commands.get('global')).toHaveLength(1);
  });

  it('says which variable to set when the token is missing, and what to check when it is refused', async () => {
    const missing = await cli('--config', home.configPath, 'discord', 'register');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('DISCORD_TOKEN is not set in the environment');
    vi.stubEnv('DISCORD_TOKEN', 'wrong-token');
    const refused = await cli('--config', home.configPath, 'discord', 'register');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Discord refused the bot token');
    expect(refused.stderr).not.toContain('wrong-token');
  });

  it('the command table fits Discord (25 subcommands at most, names, descriptions, 8,000 characters)', () => {
    const [k3sc] = discordCommands();
    expect(k3sc?.options.length).toBeLessThanOrEqual(25);
    expect(discordCommandProblems(discordCommands())).toEqual([]);
  });

  it('refuses, before any request, a table Discord would refuse: 26 subcommands', async () => {
    const extra = { ...COMMANDS[0]!, name: 'extra' };
    const tooMany = discordCommands([...COMMANDS, extra, { ...extra, name: 'extra-two' }]);
    expect(tooMany[0]?.options.length).toBeGreaterThan(25);
    const config = parseConfigText(
      `repos: [acme/widgets]\nallowed_authors: [alice]\nchat:\n  discord:\n    application_id: '${fake.applicationId}'\n    api_url: ${fake.apiUrl}\n`,
      { DISCORD_TOKEN: fake.botToken },
      'test',
    ).config;
    const before = fake.requests.length;
    await expect(registerDiscord(config, '43', tooMany)).rejects.toThrow(
      /\/k3sc has 27 options .*Discord allows 25.*nothing was registered|nothing was registered[\s\S]*\/k3sc has 27 options/,
    );
    expect(fake.requests.length).toBe(before);
    expect(fake.commands.has('43')).toBe(false);
  });
});
