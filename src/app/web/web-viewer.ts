import '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolveRole, type PlatformIdentity, type RbacPolicy, type Role } from '../../core/api/farm-api.js';
import { higherRole } from '../../core/domain/roles.js';
import type { PageContext } from './layout.js';
import type { Session, SessionStore } from './sessions.js';
import { readUsers } from './users-file.js';

export const SESSION_COOKIE = 'k3sc_session';

export interface ViewerDeps {
  readonly sessions: SessionStore;
  readonly policy: RbacPolicy;
  readonly usersFile: string;
  readonly sandbox: boolean;
  readonly oauth: boolean;
  readonly base: string;
  readonly ttlMs: number;
}

/** Who is looking: a logged-in user with a role, the sandbox's read-only localhost, or nobody. */
export type Viewer =
  | { readonly kind: 'user'; readonly who: PlatformIdentity; readonly role: Role; readonly fileRole?: Role }
  | { readonly kind: 'read-only' }
  | { readonly kind: 'none' };

export const webIdentity = (name: string): PlatformIdentity => ({
  platform: 'web',
  userId: name,
  display: name,
});

/** A web user's role: the `rbac` map (by local user name or GitHub login) or the users file, the higher one. */
export const webRole = (policy: RbacPolicy, name: string, fileRole: Role | undefined): Role | undefined =>
  higherRole(resolveRole(policy, webIdentity(name)), fileRole);

const isLoopback = (ip: string): boolean => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';

export const READ_ONLY_NOTE =
  'Sandbox: nobody is configured to log in, so this page is read-only for localhost. Add a user with `k3sc web user add NAME --role operator` to act.';

export const setSessionCookie = (d: ViewerDeps, reply: FastifyReply, s: Session): void => {
  void reply.setCookie(SESSION_COOKIE, s.id, {
    path: d.base === '' ? '/' : d.base,
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    maxAge: Math.floor(d.ttlMs / 1000),
  });
};

/** The request's session (a fresh anonymous one, with its cookie, when it has none). */
export const sessionOf = (d: ViewerDeps, req: FastifyRequest, reply: FastifyReply): Session => {
  const found = d.sessions.get(req.cookies[SESSION_COOKIE]);
  if (found) return found;
  const s = d.sessions.open();
  setSessionCookie(d, reply, s);
  return s;
};

export const viewerOf = async (d: ViewerDeps, req: FastifyRequest, s: Session): Promise<Viewer> => {
  if (s.user) {
    const { name } = s.user;
    let fileRole = s.user.role;
    // Sessions outlive restarts: a local user removed from the file (or given another role)
    // counts from the next request, not from the next login.
    if (s.user.via === 'local') {
      const u = (await readUsers(d.usersFile)).find((x) => x.name === name);
      if (!u) return { kind: 'none' };
      fileRole = u.role;
    }
    const role = webRole(d.policy, name, fileRole);
    if (!role) return { kind: 'none' };
    return { kind: 'user', who: webIdentity(name), role, ...(fileRole ? { fileRole } : {}) };
  }
  if (d.sandbox && !d.oauth && isLoopback(req.ip) && (await readUsers(d.usersFile)).length === 0)
    return { kind: 'read-only' };
  return { kind: 'none' };
};

export const pageContext = (d: ViewerDeps, s: Session, v: Viewer): PageContext => ({
  base: d.base,
  csrf: s.csrf,
  canAct: v.kind === 'user',
  ...(v.kind === 'user' ? { user: { name: v.who.display, role: v.role } } : {}),
  ...(v.kind === 'read-only' ? { readOnly: READ_ONLY_NOTE } : {}),
});
