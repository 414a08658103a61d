import * as path from 'node:path';
import { z } from 'zod';
import { DURATION_LIMITS } from './duration-limits.js';
import { duration, envName, nonEmpty } from './schema-fields.js';

/** `web`: the dashboard served by `k3sc serve` on its HTTP port (see docs/web.md). */
export const webSchema = z.strictObject({
  /** Where the pages live behind a reverse proxy, e.g. `/k3sc` (default `/`). */
  base_path: z
    .string()
    .regex(/^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?\/?$/, {
      error: 'must be a path like / or /k3sc (letters, digits, . _ ~ -)',
    })
    .optional(),
  users_file: nonEmpty.optional(),
  session_ttl: duration(DURATION_LIMITS['web.session_ttl']).optional(),
  github_oauth: z
    .strictObject({
      client_id: nonEmpty,
      /** The environment variable holding the client secret (default K3SC_GITHUB_OAUTH_SECRET). */
      client_secret_env: envName.optional(),
      /** `org/team` slugs whose members may log in (besides `allowed_authors`). */
      teams: z.array(nonEmpty).optional(),
    })
    .optional(),
});

/** How long a login lasts by default. */
export const WEB_SESSION_TTL_MS = 12 * 3_600_000;

export interface WebConfig {
  /** `/` or `/k3sc` (no trailing slash except the root). */
  readonly basePath: string;
  readonly usersFile: string;
  readonly sessionTtlMs: number;
  readonly githubOauth?: {
    readonly clientId: string;
    readonly clientSecret?: string;
    readonly clientSecretEnv: string;
    readonly teams: readonly string[];
  };
}

export const buildWebConfig = (
  raw: z.output<typeof webSchema> | undefined,
  dataDir: string,
  env: Readonly<Record<string, string | undefined>>,
  resolve: (p: string) => string,
): WebConfig => {
  const base = (raw?.base_path ?? '/').replace(/\/+$/, '');
  const oauth = raw?.github_oauth;
  const secretEnv = oauth?.client_secret_env ?? 'K3SC_GITHUB_OAUTH_SECRET';
  const secret = env[secretEnv];
  return {
    basePath: base === '' ? '/' : base,
    usersFile: raw?.users_file === undefined ? path.join(dataDir, 'web-users.json') : resolve(raw.users_file),
    sessionTtlMs: raw?.session_ttl ?? WEB_SESSION_TTL_MS,
    ...(oauth
      ? {
          githubOauth: {
            clientId: oauth.client_id,
            clientSecretEnv: secretEnv,
            teams: oauth.teams ?? [],
            ...(secret ? { clientSecret: secret } : {}),
          },
        }
      : {}),
  };
};
