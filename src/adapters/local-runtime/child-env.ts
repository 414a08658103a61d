/**
 * Variables a runner child inherits from k3sc's own environment. Everything else (chat
 * tokens, the GitHub App key, …) stays in k3sc; what a run needs is passed explicitly.
 */
const INHERITED = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TERM',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

export const childEnv = (
  base: NodeJS.ProcessEnv,
  extra: Readonly<Record<string, string>>,
  alsoInherit: readonly string[] = [],
): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (v !== undefined && (INHERITED.includes(k) || k.startsWith('LC_') || alsoInherit.includes(k)))
      env[k] = v;
  }
  return { ...env, ...extra };
};
