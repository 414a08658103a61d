/**
 * Commands only the k3sc CLI has (never chat, never forwarded to a serve): documented in
 * docs/commands.md next to the table's. Each is defined in src/main.ts.
 */
export interface CliOnlyCommand {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly details: readonly string[];
}

export const CLI_ONLY_COMMANDS: readonly CliOnlyCommand[] = [
  {
    name: 'build-lock',
    usage: 'build-lock [--lock PATH] [--timeout DURATION] -- <command...>',
    summary:
      'Run a command holding the exclusive lock on the shared build cache, so agents sharing cache volumes build one at a time',
    details: [
      'The lock is `--lock`, else `$K3SC_BUILD_LOCK`, else `build.lock` in `$K3SC_CACHE_DIR` (agent pods: `/cache`), else `~/.cache/k3sc/build.lock`.',
      'A kernel `flock(2)` lock (util-linux `flock(1)`): released when its holder dies, so never stale. A waiter prints who holds it, every 30 s.',
      'Exit status: the command’s (128 + N when signal N ended it); 75 when `--timeout` ran out first. Signals sent to build-lock reach the command.',
      'Agent pods run it as `k3sc-build-lock` (the agent image ships it). See [kubernetes.md](kubernetes.md#build-caches).',
    ],
  },
];
