import { describe, expect, it } from 'vitest';
import { actorFor, localIdentity, resolveRole, type PlatformIdentity, type RbacPolicy } from './authorize.js';

const policy = (p: Partial<RbacPolicy> = {}): RbacPolicy => ({
  admins: [],
  operators: [],
  viewers: [],
  unknown: 'viewer',
  ...p,
});

const slack = (userId: string, groupIds: string[] = []): PlatformIdentity => ({
  platform: 'slack',
  userId,
  display: userId.toLowerCase(),
  groupIds,
  channelId: 'C1',
});

describe('resolveRole', () => {
  const rbac = policy({
    admins: ['U012ADMIN'],
    operators: ['S0OPSGROUP', '998877665544332211'],
    viewers: ['UVIEW'],
  });

  it('gives a user the role of the list that names their user id', () => {
    expect(resolveRole(rbac, slack('U012ADMIN'))).toBe('admin');
    expect(resolveRole(rbac, slack('UVIEW'))).toBe('viewer');
  });

  it('gives a user the role of a Slack user group or Discord role they hold', () => {
    expect(resolveRole(rbac, slack('UANY', ['S0OPSGROUP']))).toBe('operator');
    const discord = { platform: 'discord', userId: '42', display: 'dee', groupIds: ['998877665544332211'] };
    expect(resolveRole(rbac, discord)).toBe('operator');
  });

  it('takes the highest role when the user and their groups are in several lists', () => {
    expect(resolveRole(rbac, slack('UVIEW', ['S0OPSGROUP']))).toBe('operator');
    expect(resolveRole(rbac, slack('U012ADMIN', ['S0OPSGROUP']))).toBe('admin');
    // An id under two roles (config check warns about it) gets the higher one.
    expect(resolveRole(policy({ viewers: ['U1'], admins: ['U1'] }), slack('U1'))).toBe('admin');
  });

  it('gives an unknown identity the default role, or none when the policy refuses strangers', () => {
    expect(resolveRole(rbac, slack('USTRANGER', ['SOTHER']))).toBe('viewer');
    expect(resolveRole({ ...rbac, unknown: 'none' }, slack('USTRANGER'))).toBeUndefined();
    expect(resolveRole({ ...rbac, unknown: 'none' }, slack('UVIEW'))).toBe('viewer');
  });

  it('matches ids exactly (no prefix, no case folding) and ignores empty group ids', () => {
    expect(
      resolveRole(policy({ unknown: 'none', admins: ['U012ADMIN'] }), slack('u012admin')),
    ).toBeUndefined();
    expect(resolveRole(policy({ unknown: 'none', admins: ['U0'] }), slack('U012ADMIN'))).toBeUndefined();
    expect(resolveRole(policy({ unknown: 'none', admins: [''] }), slack('U9', ['']))).toBeUndefined();
  });

  it('makes the local console and CLI user admin whatever the lists say', () => {
    const strict = policy({ unknown: 'none', viewers: ['ada'] });
    expect(resolveRole(strict, localIdentity('console', 'ada'))).toBe('admin');
    expect(resolveRole(strict, localIdentity('cli', 'bob'))).toBe('admin');
  });
});

describe('actorFor', () => {
  it('names the actor platform:user with the resolved role', () => {
    expect(actorFor(policy({ operators: ['U7'] }), slack('U7'))).toEqual({
      id: 'slack:U7',
      display: 'u7',
      role: 'operator',
    });
    expect(actorFor(policy(), localIdentity('console', 'ada'))).toEqual({
      id: 'console:ada',
      display: 'ada',
      role: 'admin',
    });
  });

  it('is undefined for a refused identity', () => {
    expect(actorFor(policy({ unknown: 'none' }), slack('U7'))).toBeUndefined();
  });
});

describe('per-channel grants (rbac.channels)', () => {
  const withChannels = policy({
    operators: ['SOPS'],
    channels: { C1: { admins: ['U5'], operators: ['SDEV'] } },
  });
  const inChannel = (userId: string, channelId: string, groups: string[] = []) => ({
    ...slack(userId, groups),
    channelId,
  });
  it('adds roles in that channel only, on top of the global lists', () => {
    expect(resolveRole(withChannels, inChannel('U5', 'C1'))).toBe('admin');
    expect(resolveRole(withChannels, inChannel('U5', 'C2'))).toBe('viewer');
    expect(resolveRole(withChannels, inChannel('U6', 'C1', ['SDEV']))).toBe('operator');
    expect(resolveRole(withChannels, inChannel('U6', 'C2', ['SDEV']))).toBe('viewer');
    expect(resolveRole(withChannels, inChannel('U7', 'C2', ['SOPS']))).toBe('operator');
    expect(resolveRole(withChannels, { platform: 'slack', userId: 'U5', display: 'u5' })).toBe('viewer');
  });
});
