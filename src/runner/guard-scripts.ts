/** Text of the guardrail scripts the runner installs. They hold no secrets. */

const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs a node script next to it with the same arguments (hooks must be executable files). */
export const nodeLauncher = (nodePath: string, scriptPath: string): string =>
  `#!/bin/sh\nexec ${shQuote(nodePath)} ${shQuote(scriptPath)} "$@"\n`;

/** pre-push: every pushed ref must be `refs/heads/<branch>`, and no deletes. */
export const prePushHook = (branch: string): string => `#!/bin/sh
# k3sc guardrail: this attempt may push only one branch.
allowed=${shQuote(`refs/heads/${branch}`)}
while read -r local_ref local_sha remote_ref remote_sha; do
  if [ "$remote_ref" != "$allowed" ]; then
    echo "k3sc: pushing to $remote_ref is not allowed; this attempt may push only $allowed" >&2
    exit 1
  fi
  case "$local_sha" in
    *[!0]*) ;;
    *) echo "k3sc: deleting $remote_ref is not allowed" >&2; exit 1 ;;
  esac
done
exit 0
`;

/** commit-msg (run by node): refuses a message with an auto-close phrase. Reads guard.json beside it. */
export const commitMsgScript = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const cfg = JSON.parse(fs.readFileSync(path.join(__dirname, 'guard.json'), 'utf8'));
const message = fs.readFileSync(process.argv[2], 'utf8');
const found = cfg.autoClosePattern ? new RegExp(cfg.autoClosePattern, 'i').exec(message) : null;
if (found) {
  process.stderr.write('k3sc: the commit message contains "' + found[0] + '", which would close an issue when merged. ' +
    'Write "Refs #N" instead.\\n');
  process.exit(1);
}
`;

/** The gh shim (run by node): allowlisted subcommands go to the real gh, the rest are refused. */
export const ghShimScript = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const cfg = JSON.parse(fs.readFileSync(path.join(__dirname, 'guard.json'), 'utf8'));
const args = process.argv.slice(2);
const allowed = cfg.ghAllowed.some((entry) => {
  const words = entry.trim().split(/\\s+/).filter((w) => w.length > 0);
  return words.length > 0 && words.every((w, i) => args[i] === w);
});
if (!allowed) {
  process.stderr.write('k3sc: "gh ' + args.slice(0, 2).join(' ') + '" is not allowed in this attempt. Allowed: ' +
    (cfg.ghAllowed.join(', ') || 'nothing') + '\\n');
  process.exit(1);
}
const dirs = (process.env.PATH || '').split(path.delimiter).filter((d) => d && path.resolve(d) !== cfg.shimDir);
const real = dirs.map((d) => path.join(d, 'gh')).find((p) => {
  try { fs.accessSync(p, fs.constants.X_OK); return fs.statSync(p).isFile(); } catch { return false; }
});
if (!real) {
  process.stderr.write('k3sc: gh is not installed in this environment; use the GitHub API through the runner instead.\\n');
  process.exit(1);
}
const run = spawnSync(real, args, { stdio: 'inherit' });
process.exit(run.status === null ? 1 : run.status);
`;

/** GIT_ASKPASS helper: answers with the token from the environment (the file holds none). */
export const askpassScript = `#!/bin/sh
case "$1" in
  Username*) echo "x-access-token" ;;
  *) echo "$GITHUB_TOKEN" ;;
esac
`;
