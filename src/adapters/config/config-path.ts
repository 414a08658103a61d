import * as path from 'node:path';

/** Where a config-relative path points: `~` is the home directory, relative paths start at the config file's folder. */
export const resolveConfigPath = (p: string, homeDir: string, baseDir: string): string => {
  if (p === '~') return homeDir;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(homeDir, p.slice(2));
  if (path.isAbsolute(p)) return p;
  return path.join(baseDir, p);
};

/** `repos[1].name`, `agents.claude.env.API_KEY`, `families["odd key"]`. */
export const formatPath = (segments: readonly PropertyKey[]): string => {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg))
      out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === '' ? '(top level)' : out;
};
