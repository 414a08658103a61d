import { higherRole, type Role } from '../domain/roles.js';
import type { Actor } from '../usecases/actor.js';

/** The normalised `rbac` section: ids per role (Slack user or user-group ids, Discord role ids). */
export interface RbacPolicy {
  readonly admins: readonly string[];
  readonly operators: readonly string[];
  readonly viewers: readonly string[];
  /** The role of an identity that no list names: a role, or `none` to refuse every command. */
  readonly unknown: Role | 'none';
  /** Grants that hold only in one channel (`rbac.channels`), on top of the lists above. */
  readonly channels?: Readonly<
    Record<
      string,
      {
        readonly admins?: readonly string[];
        readonly operators?: readonly string[];
        readonly viewers?: readonly string[];
      }
    >
  >;
}

/** Who sent a command, as the transport that received it knows them. */
export interface PlatformIdentity {
  /** `slack`, `discord`, `console`, `cli`, `web`: the first half of the actor id. */
  readonly platform: string;
  readonly userId: string;
  /** What people see ("killed by alice"). */
  readonly display: string;
  /** Slack user-group ids, Discord role ids the user holds. */
  readonly groupIds?: readonly string[];
  /** Where the command was sent (for the audit log). */
  readonly channelId?: string;
  /**
   * The machine's own user: the console of `k3sc serve` and the CLI (directly, or through the
   * control API whose token only that user can read). Always admin; `rbac` is for chat users.
   */
  readonly local?: boolean;
}

const LISTS = [
  ['viewers', 'viewer'],
  ['operators', 'operator'],
  ['admins', 'admin'],
] as const;

/**
 * Pure: the role an identity gets. The user id and every group/role id are looked up in each
 * list (and in the lists of the channel it writes from, `policy.channels`, which only add) and
 * the highest role found wins; nothing found gives `policy.unknown` (`undefined` for
 * `none`: refused). A local identity is admin.
 */
export const resolveRole = (policy: RbacPolicy, who: PlatformIdentity): Role | undefined => {
  if (who.local === true) return 'admin';
  const ids = new Set([who.userId, ...(who.groupIds ?? [])].filter((id) => id !== ''));
  const here = who.channelId === undefined ? undefined : policy.channels?.[who.channelId];
  let role: Role | undefined;
  for (const [list, granted] of LISTS)
    if ([...policy[list], ...(here?.[list] ?? [])].some((id) => ids.has(id)))
      role = higherRole(role, granted);
  return role ?? (policy.unknown === 'none' ? undefined : policy.unknown);
};

/** The actor a command runs as, or `undefined` when the policy refuses this identity. */
export const actorFor = (policy: RbacPolicy, who: PlatformIdentity): Actor | undefined => {
  const role = resolveRole(policy, who);
  return role && { id: `${who.platform}:${who.userId}`, display: who.display, role };
};

/** With no `rbac` section: nobody is named, so every chat user is a viewer (reading is open). */
export const OPEN_READ_POLICY: RbacPolicy = { admins: [], operators: [], viewers: [], unknown: 'viewer' };

/** The machine's own user at the console of `serve` or on the CLI (admin, see `PlatformIdentity.local`). */
export const localIdentity = (platform: 'console' | 'cli', user: string): PlatformIdentity => ({
  platform,
  userId: user,
  display: user,
  local: true,
});
