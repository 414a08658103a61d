import { isIP } from 'node:net';
import * as path from 'node:path';
import { z } from 'zod';
import { DURATION_LIMITS } from './duration-limits.js';
import { duration, envName, nonEmpty } from './schema-fields.js';
import { envSecret, secretFromFile, type Env, type SecretFiles } from './secret-files.js';
import type { Problem } from './zod-issues.js';

const PROXY_HINT = 'must be an IP address, a CIDR (10.0.0.0/8) or loopback, linklocal, uniquelocal';
const isProxyAddress = (v: string): boolean => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return true;
  const [ip = '', bits, ...rest] = v.split('/');
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};

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
      /** A file holding the client secret, read when the environment variable is not set. */
      client_secret_file: nonEmpty.optional(),
      /** `org/team` slugs whose members may log in (besides `allowed_authors`). */
      teams: z
        .array(z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'must be org/team-slug' }))
        .optional(),
    })
    .optional(),
  /**
   * Behind a reverse proxy: trust its X-Forwarded-For/-Proto (client address for rate limits,
   * https for Secure cookies). `true` trusts any hop; a list names the proxies (IPs or CIDRs).
   */
  trust_proxy: z
    .union([z.boolean(), z.array(z.string().refine(isProxyAddress, { error: PROXY_HINT }))])
    .optional(),
});

const DEFAULT_SECRET_ENV = 'K3SC_GITHUB_OAUTH_SECRET';

/** The secret file `buildWebConfig` will read (none when the environment variable is set). */
export const plannedWebSecretFiles = (
  raw: z.output<typeof webSchema> | undefined,
  env: Env,
  resolve: (p: string) => string,
): string[] => {
  const oauth = raw?.github_oauth;
  if (oauth?.client_secret_file === undefined) return [];
  return envSecret(env, oauth.client_secret_env ?? DEFAULT_SECRET_ENV) === undefined
    ? [resolve(oauth.client_secret_file)]
    : [];
};

/** How long a login lasts by default. */
export const WEB_SESSION_TTL_MS = 12 * 3_600_000;

export interface WebConfig {
  /** `/` or `/k3sc` (no trailing slash except the root). */
  readonly basePath: string;
  readonly usersFile: string;
  readonly sessionTtlMs: number;
  /** Fastify's trustProxy (false when not set). */
  readonly trustProxy: boolean | readonly string[];
  readonly githubOauth?: {
    readonly clientId: string;
    /** From the environment variable, else the file; missing → the GitHub login says it is not set up. */
    readonly clientSecret?: string;
    readonly clientSecretEnv: string;
    readonly teams: readonly string[];
  };
}

export const buildWebConfig = (
  raw: z.output<typeof webSchema> | undefined,
  dataDir: string,
  env: Env,
  resolve: (p: string) => string,
  secrets: { readonly files: SecretFiles; readonly errors: Problem[] } = { files: new Map(), errors: [] },
): WebConfig => {
  const base = (raw?.base_path ?? '/').replace(/\/+$/, '');
  const oauth = raw?.github_oauth;
  const secretEnv = oauth?.client_secret_env ?? DEFAULT_SECRET_ENV;
  const file = oauth?.client_secret_file;
  const secret =
    envSecret(env, secretEnv) ??
    (file === undefined
      ? undefined
      : secretFromFile(
          secrets.files,
          resolve(file),
          ['web', 'github_oauth', 'client_secret_file'],
          secrets.errors,
        ));
  return {
    basePath: base === '' ? '/' : base,
    usersFile: raw?.users_file === undefined ? path.join(dataDir, 'web-users.json') : resolve(raw.users_file),
    sessionTtlMs: raw?.session_ttl ?? WEB_SESSION_TTL_MS,
    trustProxy: raw?.trust_proxy ?? false,
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
