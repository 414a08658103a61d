// The agent image's `k3sc-build-lock` (image/agent/k3sc-build-lock): `k3sc build-lock` without
// loading the rest of k3sc. Exits with the command's status.
import { isK3scError } from '../core/errors.js';
import { BUILD_LOCK_USAGE, buildLockCli, parseBuildLockArgv } from './build-lock-cli.js';

const argv = process.argv.slice(2);
const err = (s: string): void => void process.stderr.write(s);

if (argv[0] === '--help' || argv[0] === '-h') {
  process.stdout.write(`${BUILD_LOCK_USAGE}\n`);
} else {
  Promise.resolve()
    .then(() => buildLockCli(parseBuildLockArgv(argv), { env: process.env, err }))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (e: unknown) => {
        err(`${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = isK3scError(e, 'bad_input') ? 2 : 1;
      },
    );
}
