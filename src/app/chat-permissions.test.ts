import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCommand } from '../bot/command-table.js';
import { needsConfirmation } from '../bot/confirm.js';
import { allows, type Role } from '../bot/roles.js';
import type { RbacPolicy } from '../core/api/farm-api.js';
import { startChatRig, type ChatRig } from './__tests__/chat-rig.js';

/** Slack: roles through user groups (read from the fake's usergroups.users.list); Discord: role ids; console: user ids. */
const POLICY: RbacPolicy = {
  admins: ['SADMINS', 'R_ADMIN', 'CADMIN'],
  operators: ['SOPS', 'R_OPS', 'COPS'],
  viewers: ['SVIEW', 'R_VIEW', 'CVIEW'],
  unknown: 'none',
};
const ROLES: readonly (Role | 'none')[] = ['none', 'viewer', 'operator', 'admin'];
const SLACK_USER = { none: 'USTRANGER', viewer: 'UV', operator: 'UO', admin: 'UA' } as const;
const DISCORD_ROLE = { none: 'R_OTHER', viewer: 'R_VIEW', operator: 'R_OPS', admin: 'R_ADMIN' } as const;
const CONSOLE_USER = { none: 'CSTRANGER', viewer: 'CVIEW', operator: 'COPS', admin: 'CADMIN' } as const;

interface Case {
  readonly text: string;
  readonly sub: string;
  readonly options: Record<string, string | boolean>;
}
const CASES: readonly Case[] = [
  { text: 'top', sub: 'top', options: {} },
  { text: 'usage', sub: 'usage', options: {} },
  { text: 'next', sub: 'next', options: {} },
  { text: 'audit', sub: 'audit', options: {} },
  { text: 'dispatch --dry-run', sub: 'dispatch', options: { 'dry-run': true } },
  { text: 'enable claude', sub: 'enable', options: { family: 'claude' } },
  { text: 'kill o/r#1', sub: 'kill', options: { issue: 'o/r#1' } },
  { text: 'reset o/r#1', sub: 'reset', options: { issue: 'o/r#1' } },
  { text: 'pause', sub: 'pause', options: {} },
  { text: 'scale 3', sub: 'scale', options: { slots: '3' } },
  { text: 'resume', sub: 'resume', options: {} },
];

type Outcome = 'refused' | 'card' | 'ran';
const expected = (role: Role | 'none', c: Case): Outcome => {
  const spec = findCommand(c.sub);
  if (!spec) throw new Error(c.sub);
  if (role === 'none' || !allows(role, spec.role)) return 'refused';
  const args = c.sub === 'scale' ? { slots: '3' } : {};
  return needsConfirmation(spec, args, false) ? 'card' : 'ran';
};
const classify = (text: string): Outcome =>
  /error: /.test(text) ? 'refused' : /confirm [0-9a-f]{12}/.test(text) ? 'card' : 'ran';

let rig: ChatRig;
beforeAll(async () => {
  rig = await startChatRig(POLICY, { slackUserGroups: ['SADMINS', 'SOPS', 'SVIEW'] });
  rig.slackFake.setUserGroup('SADMINS', ['UA']);
  rig.slackFake.setUserGroup('SOPS', ['UO', 'UX']);
  rig.slackFake.setUserGroup('SVIEW', ['UV']);
  rig.farm.h.seedReady();
});
afterAll(async () => {
  await rig.close();
});

describe('permission matrix: role × command × platform, through the real transports', () => {
  for (const role of ROLES)
    it(`${role}: slack, discord and console agree with the command table`, async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const c of CASES) {
        const w = expected(role, c);
        const posted = rig.slackFake.records.length;
        const slack = await rig.slack(c.text, SLACK_USER[role]);
        // Answers go to the response_url; a confirmation card is posted as the bot (chat.postMessage).
        const cards = rig.slackFake.records.slice(posted).filter((r) => r.method === 'chat.postMessage');
        const sText = JSON.stringify([...slack.responses, ...cards].map((r) => r.body));
        const discord = await rig.discord(c.sub, c.options, {
          id: `9${role.length}`,
          roles: [DISCORD_ROLE[role]],
        });
        const dText = JSON.stringify(discord.calls.map((r) => r.body));
        const console = await rig.console(c.text, {
          platform: 'console',
          userId: CONSOLE_USER[role],
          display: role,
        });
        for (const [platform, text] of [
          ['slack', sText],
          ['discord', dText],
          ['console', console],
        ] as const) {
          got.push(`${platform} ${c.text}: ${classify(text)}`);
          want.push(`${platform} ${c.text}: ${w}`);
          // A refusal names the role needed (or the id to add), and is private on chat.
          if (w === 'refused')
            expect(text).toMatch(
              role === 'none' ? /may not use k3sc/ : /needs the (operator|admin) role; you are/,
            );
        }
        if (w === 'refused') {
          expect(slack.responses.every((r) => r.body['response_type'] === 'ephemeral')).toBe(true);
          expect(
            discord.calls
              .filter((r) => r.method === 'POST')
              .every((r) => (r.body as { flags?: number }).flags === 64),
          ).toBe(true);
        }
      }
      expect(got).toEqual(want);
    });

  it('reads group members once per TTL, not per command', () => {
    const calls = rig.slackFake.records.filter((r) => r.method === 'usergroups.users.list');
    expect(calls.length).toBe(3);
  });

  it('the machine’s own console user runs destructive commands directly (no card)', async () => {
    const out = await rig.console('scale 2', {
      platform: 'console',
      userId: 'root',
      display: 'root',
      local: true,
    });
    expect(classify(out)).toBe('ran');
    expect((await rig.farm.h.state()).maxSlots).toBe(2);
  });
});
