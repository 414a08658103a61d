import { randomBytes } from 'node:crypto';
import type { K3scConfig } from '../../adapters/config/index.js';
import type { Sandbox } from '../sandbox.js';
import type { WebGithub } from './github-oauth.js';

/**
 * Where the web's GitHub login goes: `github.url`/`github.api_url`, or in the sandbox the
 * built-in fake, which then gets the configured OAuth app (with a made-up secret when none is
 * set, so the button works out of the box there).
 */
export const webGithub = (config: K3scConfig, sandbox: Sandbox | undefined): WebGithub => {
  if (!sandbox)
    return {
      webUrl: config.github.webUrl,
      apiUrl: config.github.apiUrl,
      allowedAuthors: config.allowedAuthors,
    };
  const oauth = config.web?.githubOauth;
  const secret = oauth?.clientSecret ?? randomBytes(16).toString('hex');
  if (oauth) sandbox.github.addOAuthApp({ clientId: oauth.clientId, clientSecret: secret });
  return {
    webUrl: sandbox.apiUrl,
    apiUrl: sandbox.apiUrl,
    allowedAuthors: sandbox.allowedAuthors,
    ...(oauth ? { clientSecret: secret } : {}),
  };
};
