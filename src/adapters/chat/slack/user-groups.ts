import type { Logger } from '../../../core/ports/logger.js';

/** The part of Bolt's WebClient this needs (`usergroups.users.list`, scope `usergroups:read`). */
export interface UserGroupsApi {
  usergroups: {
    users: { list(args: { usergroup: string }): Promise<{ ok?: boolean; users?: string[]; error?: string }> };
  };
}

/** Members are re-read this long after they were last read (default 5 minutes). */
export const USER_GROUP_TTL_MS = 5 * 60_000;

interface Entry {
  readonly users: ReadonlySet<string>;
  readonly at: number;
}

/**
 * Which of the user groups `rbac` names (Slack ids `S…`) a user is in: each group's members
 * through the Web API, cached for `ttlMs`; refreshes of one group are shared; a failed refresh
 * keeps the members last read (none before the first success) and is logged.
 */
export class SlackUserGroups {
  private readonly cache = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(
    private readonly opts: {
      api: () => UserGroupsApi;
      groupIds: readonly string[];
      logger: Logger;
      ttlMs?: number;
      now?: () => number;
    },
  ) {
    this.now = opts.now ?? Date.now;
    this.ttlMs = opts.ttlMs ?? USER_GROUP_TTL_MS;
  }

  private refresh(group: string): Promise<void> {
    const running = this.loading.get(group);
    if (running) return running;
    const job = (async () => {
      try {
        const r = await this.opts.api().usergroups.users.list({ usergroup: group });
        if (r.ok === false) throw new Error(r.error ?? 'not ok');
        this.cache.set(group, { users: new Set(r.users ?? []), at: this.now() });
      } catch (err) {
        this.opts.logger.warn(
          { group, error: err instanceof Error ? err.message : String(err) },
          'slack: user group members not read (usergroups.users.list); its role grants wait for the next try',
        );
      } finally {
        this.loading.delete(group);
      }
    })();
    this.loading.set(group, job);
    return job;
  }

  /** The configured group ids `userId` is a member of. */
  async groupsOf(userId: string): Promise<string[]> {
    const now = this.now();
    const stale = this.opts.groupIds.filter((g) => {
      const e = this.cache.get(g);
      return e === undefined || now - e.at >= this.ttlMs;
    });
    await Promise.all(stale.map((g) => this.refresh(g)));
    return this.opts.groupIds.filter((g) => this.cache.get(g)?.users.has(userId) === true);
  }
}

/** The ids in the `rbac` lists that are Slack user groups (`S` then letters and digits). */
export const slackGroupIds = (lists: readonly (readonly string[])[]): string[] => [
  ...new Set(lists.flat().filter((id) => /^S[A-Z0-9]{2,}$/.test(id))),
];
