import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { CommandSpec } from '../bot/command-spec.js';
import { errorReply, type Reply } from '../bot/reply.js';
import { renderText } from '../bot/render/text.js';
import { zodMessage } from '../bot/run-command.js';
import { K3scError } from '../core/errors.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { loadKubeConfig } from '../adapters/kubernetes/kube-config.js';
import { deploy, type DeployReport, type Overlay } from '../adapters/kubernetes/deploy/deploy.js';
import { rotateSecrets, type RotateReport } from '../adapters/kubernetes/deploy/rotate-secrets.js';
import type { SecretReport } from '../adapters/kubernetes/deploy/apply-secrets.js';
import { planSecrets } from '../adapters/kubernetes/deploy/secret-sources.js';
import { exitCodeOfReply } from './exit-codes.js';

/**
 * The CLI-only table commands `deploy` and `rotate-secrets` (cliOnly in the command table):
 * they read this machine's credential sources and its kubeconfig, so they never go to a serve.
 * Output names keys, sources and hash prefixes; never a value.
 */
export interface LocalCommandEnv {
  readonly config: K3scConfig;
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
  /** Tests pass the cluster's KubeConfig; else runtime.kubernetes.kubeconfig/context, in-cluster, KUBECONFIG. */
  readonly kubeConfig?: KubeConfig;
  readonly now?: () => Date;
}

const readOptional = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const kubeConfigOf = (e: LocalCommandEnv): KubeConfig => {
  if (e.kubeConfig !== undefined) return e.kubeConfig;
  const k = e.config.runtime.kubernetes;
  try {
    return loadKubeConfig(
      {
        ...(k.kubeconfig === undefined ? {} : { kubeconfig: k.kubeconfig }),
        ...(k.context === undefined ? {} : { context: k.context }),
      },
      e.env ?? process.env,
    );
  } catch (err) {
    throw new K3scError('config_invalid', err instanceof Error ? err.message : String(err));
  }
};

const secretRows = (secrets: readonly SecretReport[]): string[][] =>
  secrets.map((s) => [
    s.result,
    `Secret ${s.name}`,
    s.keys.length === 0
      ? '(no keys: no local source)'
      : s.keys.map((k) => `${k.key} ${k.change}${k.source ? ` (${k.source})` : ''}`).join(', '),
  ]);

const tail = (r: DeployReport | RotateReport, dryRun: boolean): Reply['blocks'] => [
  ...(r.restart === undefined
    ? []
    : [
        {
          type: 'text' as const,
          text: r.restart.restarted
            ? `restarted Deployment ${r.namespace}/${r.restart.deployment} (restartedAt annotation): ${r.restart.reason}`
            : `Deployment ${r.restart.deployment} not restarted: ${r.restart.reason}`,
        },
      ]),
  {
    type: 'text' as const,
    text: dryRun
      ? 'dry run: nothing was changed'
      : 'agent pods read their Secret when they start: the next attempt uses changed keys',
  },
  ...r.warnings.map((w) => ({ type: 'text' as const, text: `warning: ${w}` })),
];

/** Report data without the rendered objects (those are for -o yaml). */
const dataOf = (r: DeployReport): Omit<DeployReport, 'rendered'> => {
  const { rendered: _r, ...rest } = r;
  return rest;
};

export const deployReply = (r: DeployReport): Reply => ({
  title: `k3sc deploy${r.dryRun ? ' (dry run)' : ''}: ${r.server}, namespace ${r.namespace}, overlay ${r.overlay}`,
  blocks: [
    {
      type: 'text',
      text: `k3sc deploy${r.dryRun ? ' (dry run)' : ''} to ${r.server}, namespace ${r.namespace}, overlay ${r.overlay}`,
    },
    {
      type: 'table',
      title: 'Objects (server-side apply, field manager k3sc)',
      columns: ['result', 'object', 'note'],
      rows: r.objects.map((s) => [s.result, `${s.kind} ${s.name}`, s.note ?? '']),
    },
    {
      type: 'table',
      title: 'Secrets (key names only)',
      columns: ['result', 'secret', 'keys'],
      rows: secretRows(r.secrets),
    },
    ...tail(r, r.dryRun),
  ],
  data: dataOf(r),
});

export const rotateReply = (r: RotateReport): Reply => ({
  title: `k3sc rotate-secrets${r.dryRun ? ' (dry run)' : ''}: ${r.server}, namespace ${r.namespace}`,
  blocks: [
    {
      type: 'text',
      text: `k3sc rotate-secrets${r.dryRun ? ' (dry run)' : ''} on ${r.server}, namespace ${r.namespace}`,
    },
    { type: 'table', columns: ['result', 'secret', 'keys'], rows: secretRows(r.secrets) },
    ...tail(r, r.dryRun),
  ],
  data: r,
});

interface Args {
  overlay?: Overlay;
  namespace?: string;
  serverConfig?: string;
  family?: string;
  dryRun?: boolean;
  output?: 'yaml';
  json?: boolean;
}

const run = async (name: string, a: Args, e: LocalCommandEnv): Promise<Reply | string> => {
  if (a.output !== undefined && a.dryRun !== true)
    return errorReply('bad_input', '--output yaml needs --dry-run (it shows what would be applied)');
  const kc = kubeConfigOf(e);
  const namespace = a.namespace ?? e.config.runtime.kubernetes.namespace;
  const plan = planSecrets({
    config: e.config,
    env: e.env ?? process.env,
    homeDir: e.homeDir ?? homedir(),
    readFile: readOptional,
  });
  const now = e.now ?? (() => new Date());
  if (name === 'rotate-secrets')
    return rotateReply(
      await rotateSecrets(kc, plan, {
        namespace,
        dryRun: a.dryRun === true,
        now,
        ...(a.family === undefined ? {} : { family: a.family }),
      }),
    );
  const serverConfig =
    a.serverConfig === undefined
      ? undefined
      : await readFile(resolve(a.serverConfig), 'utf8').catch((err: unknown) => {
          throw new K3scError('bad_input', `--server-config: cannot read ${a.serverConfig}: ${String(err)}`);
        });
  const report = await deploy(kc, plan, {
    overlay: a.overlay ?? 'k3s',
    namespace,
    dryRun: a.dryRun === true,
    now,
    ...(serverConfig === undefined ? {} : { serverConfig }),
  });
  if (a.output === 'yaml') return report.rendered.map((o) => `---\n${stringify(o)}`).join('');
  return deployReply(report);
};

/** Runs a cliOnly table command in this process; returns the exit code. */
export const runLocalCommand = async (
  spec: CommandSpec,
  args: Record<string, unknown>,
  e: LocalCommandEnv,
): Promise<number> => {
  const json = args['json'] === true;
  const print = (reply: Reply): number => {
    const code = exitCodeOfReply(reply.data);
    (code !== 0 && !json ? e.err : e.out)(
      `${json ? JSON.stringify(reply.data, null, 2) : renderText(reply)}\n`,
    );
    return code;
  };
  const parsed = spec.schema.safeParse(args);
  if (!parsed.success) return print(errorReply('bad_input', `${spec.name}: ${zodMessage(parsed.error)}`));
  try {
    const result = await run(spec.name, parsed.data, e);
    if (typeof result === 'string') {
      e.out(result);
      return 0;
    }
    return print(result);
  } catch (err) {
    if (err instanceof K3scError) return print(errorReply(err.code, err.message));
    throw err;
  }
};
