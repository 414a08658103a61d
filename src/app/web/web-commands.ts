import { createCommandRouter } from '../../bot/command-router.js';
import type { Farm } from '../../bot/farm.js';
import type { AuditLog } from '../../bot/run-command.js';
import type { Outbound } from '../../bot/transport.js';
import type { Logger, RbacPolicy, Role } from '../../core/api/farm-api.js';
import type { WebRun } from './web-app.js';

const LIST: Readonly<Record<Role, 'viewers' | 'operators' | 'admins'>> = {
  viewer: 'viewers',
  operator: 'operators',
  admin: 'admins',
};

/** The `rbac` policy with one more name on the list of its users-file role. */
export const policyWith = (policy: RbacPolicy, name: string, role: Role | undefined): RbacPolicy =>
  role ? { ...policy, [LIST[role]]: [...policy[LIST[role]], name] } : policy;

/**
 * How the page runs a command: the text goes through the same router as chat (the command
 * table's grammar, the role check, the audit entry with `web:<name>`), answered into a list.
 * Destructive actions (kill, scale, pause) were confirmed on the page first (web-actions.ts), so
 * the router runs them instead of answering with a chat confirmation card nobody could click.
 */
export const webRunner =
  (opts: { farm: Farm; logger: Logger; audit?: AuditLog; policy: RbacPolicy }): WebRun =>
  async (text, who, fileRole, signal) => {
    const router = createCommandRouter({
      farm: opts.farm,
      logger: opts.logger,
      policy: policyWith(opts.policy, who.userId, fileRole),
      ...(opts.audit ? { audit: opts.audit } : {}),
    });
    const out: Outbound[] = [];
    await router.handle(
      { text, who, where: 'web', signal, confirmed: true },
      { acknowledge: () => undefined, stream: () => undefined, respond: (o) => void out.push(o) },
    );
    return out;
  };
