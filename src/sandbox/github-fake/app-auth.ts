import { randomBytes } from 'node:crypto';
import { ghError, ok, type FakeResponse } from './http-types.js';
import type { Router } from './router.js';

const jwtIssuer = (authorization: string | undefined): string | undefined => {
  const token = /^bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const iss = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    return typeof iss === 'string' || typeof iss === 'number' ? String(iss) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * GitHub App authentication, loosely: a JWT whose `iss` is a configured app id is accepted on
 * `/app/*` (its signature is NOT checked), and installation tokens it mints act as the app's bot.
 */
export class FakeAppAuth {
  private readonly issued = new Map<string, string>();

  constructor(private readonly apps: Readonly<Record<string, string>>) {}

  /** The bot login for a JWT-authenticated `/app/*` request, or a 401 response. */
  appActor(
    authorization: string | undefined,
  ): { ok: true; actor: string } | { ok: false; error: FakeResponse } {
    const iss = jwtIssuer(authorization);
    const login = iss !== undefined && Object.hasOwn(this.apps, iss) ? this.apps[iss] : undefined;
    return login === undefined
      ? { ok: false, error: ghError(401, 'A JSON web token could not be decoded') }
      : { ok: true, actor: login };
  }

  /** Login behind an installation token minted here. */
  tokenLogin(token: string): string | undefined {
    return this.issued.get(token);
  }

  mint(login: string): string {
    const token = `ghs_fake${randomBytes(12).toString('hex')}`;
    this.issued.set(token, login);
    return token;
  }
}

export const addAppRoutes = (router: Router, apps: FakeAppAuth, now: () => Date): void => {
  router.add('POST', '/app/installations/{installation_id}/access_tokens', (req) => {
    const expires = new Date(now().getTime() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const body = {
      token: apps.mint(req.actor),
      expires_at: expires,
      permissions: { issues: 'write', pull_requests: 'write', metadata: 'read' },
      repository_selection: 'all',
    };
    return ok(body, undefined, 201);
  });
};
