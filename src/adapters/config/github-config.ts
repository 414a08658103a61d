import { CONFIG_DEFAULTS } from './defaults.js';
import type { RawConfig } from './schema.js';
import { type Env, type SecretFiles, envSecret, secretFromFile } from './secret-files.js';
import type { GithubAuth, GithubConfig, ResolvedSecret } from './types.js';
import { plannedWebSecretFiles } from './web-config.js';
import type { Problem } from './zod-issues.js';

export type ResolvePath = (p: string) => string;

const TOKEN_ENVS = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;
const WEBHOOK_ENV = 'K3SC_WEBHOOK_SECRET';

const isDotCom = (url: string): boolean =>
  ['github.com', 'www.github.com'].includes(new URL(url).hostname.toLowerCase());

const tokenEnv = (env: Env): string | undefined => TOKEN_ENVS.find((n) => envSecret(env, n) !== undefined);

/** Secret files this config will actually read (env values win, so their files are skipped). */
export const plannedSecretFiles = (raw: RawConfig, env: Env, resolve: ResolvePath): string[] => {
  const gh = raw.github ?? {};
  const files: string[] = [];
  if (gh.app !== undefined) files.push(resolve(gh.app.private_key_file));
  else if (gh.token_file !== undefined && tokenEnv(env) === undefined) files.push(resolve(gh.token_file));
  if (gh.webhook_secret_file !== undefined && envSecret(env, WEBHOOK_ENV) === undefined)
    files.push(resolve(gh.webhook_secret_file));
  return [...files, ...plannedWebSecretFiles(raw.web, env, resolve)];
};

interface Ctx {
  readonly env: Env;
  readonly files: SecretFiles;
  readonly resolve: ResolvePath;
  readonly errors: Problem[];
  readonly warnings: string[];
}

const resolveAuth = (raw: RawConfig, c: Ctx): GithubAuth => {
  const gh = raw.github ?? {};
  const fromEnv = tokenEnv(c.env);
  if (gh.app !== undefined) {
    if (gh.token_file !== undefined)
      c.errors.push({
        path: ['github', 'token_file'],
        message: 'set either github.token_file or github.app, not both',
      });
    if (fromEnv !== undefined)
      c.warnings.push(`${fromEnv} is set but github.app is configured — the GitHub App is used`);
    const file = c.resolve(gh.app.private_key_file);
    const pem = secretFromFile(c.files, file, ['github', 'app', 'private_key_file'], c.errors);
    if (pem === undefined) return { kind: 'none' };
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
      c.errors.push({
        path: ['github', 'app', 'private_key_file'],
        message: `${file} does not contain a PEM private key`,
      });
      return { kind: 'none' };
    }
    return {
      kind: 'app',
      appId: gh.app.app_id,
      installationId: gh.app.installation_id,
      privateKey: pem,
      privateKeySource: `file:${file}`,
    };
  }
  if (fromEnv !== undefined) {
    if (gh.token_file !== undefined) c.warnings.push(`${fromEnv} is set and overrides github.token_file`);
    return { kind: 'token', token: envSecret(c.env, fromEnv) ?? '', source: `env:${fromEnv}` };
  }
  if (gh.token_file !== undefined) {
    const file = c.resolve(gh.token_file);
    const token = secretFromFile(c.files, file, ['github', 'token_file'], c.errors);
    return token === undefined ? { kind: 'none' } : { kind: 'token', token, source: `file:${file}` };
  }
  return { kind: 'none' };
};

const resolveWebhookSecret = (raw: RawConfig, c: Ctx): ResolvedSecret | undefined => {
  const fromEnv = envSecret(c.env, WEBHOOK_ENV);
  if (fromEnv !== undefined) return { value: fromEnv, source: `env:${WEBHOOK_ENV}` };
  const fileSetting = raw.github?.webhook_secret_file;
  if (fileSetting === undefined) return undefined;
  const file = c.resolve(fileSetting);
  const value = secretFromFile(c.files, file, ['github', 'webhook_secret_file'], c.errors);
  return value === undefined ? undefined : { value, source: `file:${file}` };
};

const resolveUrls = (raw: RawConfig, warnings: string[]): { apiUrl: string; webUrl: string } => {
  const web = raw.github_url;
  const api = raw.github?.api_url;
  const apiUrl =
    api ?? (web !== undefined && !isDotCom(web) ? `${web}/api/v3` : CONFIG_DEFAULTS.githubApiUrl);
  let webUrl: string = CONFIG_DEFAULTS.githubWebUrl;
  if (web !== undefined) webUrl = web;
  else if (api?.endsWith('/api/v3') === true) webUrl = api.slice(0, -'/api/v3'.length);
  if (web !== undefined && api !== undefined && new URL(web).hostname !== new URL(api).hostname) {
    warnings.push(`github_url (${web}) and github.api_url (${api}) point at different hosts`);
  }
  return { apiUrl, webUrl };
};

/** The `github` section with credentials resolved from the environment or pre-read files. */
export const buildGithubConfig = (raw: RawConfig, c: Ctx): GithubConfig => {
  const auth = resolveAuth(raw, c);
  const webhookSecret = resolveWebhookSecret(raw, c);
  return { ...resolveUrls(raw, c.warnings), auth, ...(webhookSecret === undefined ? {} : { webhookSecret }) };
};
