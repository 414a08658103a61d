import { z } from 'zod';
import { familyArg, jsonFlag } from '../args.js';
import { defineCommand } from '../command-spec.js';
import { errorReply } from '../reply.js';

/**
 * `deploy` and `rotate-secrets` read the credentials of the machine they run on and talk to its
 * kubeconfig's cluster, so they run in the CLI process only (src/app/deploy-cli.ts): never
 * forwarded to a serve, refused (admin or not) in chat and the console.
 */
const cliOnlyReply = (name: string) =>
  errorReply(
    'bad_input',
    `${name} runs only from the CLI (\`k3sc ${name}\`) on a machine with the credentials and a kubeconfig for the cluster`,
  );

const namespaceOption = {
  flags: '--namespace <ns>',
  description: 'the farm namespace (default runtime.kubernetes.namespace, claude-agents)',
};
const namespaceArg = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: '--namespace must be a Kubernetes namespace name' })
  .optional();

export const deployCommand = defineCommand({
  name: 'deploy',
  summary: 'Install or update k3sc on the cluster: the shipped manifests and Secrets from local credentials',
  role: 'admin',
  cliOnly: true,
  options: [
    { flags: '--overlay <name>', description: 'k3s (default) or kata (adds the Kata RuntimeClass)' },
    namespaceOption,
    {
      flags: '--server-config <file>',
      description: 'store this file as ConfigMap k3sc-config (the config the k3sc pod runs with)',
    },
    { flags: '--dry-run', description: 'server-side dry run: what would change; Secrets by key name only' },
    {
      flags: '-o, --output <format>',
      description: 'with --dry-run: yaml prints the objects (no secret values)',
    },
  ],
  examples: [
    'deploy --dry-run',
    'deploy --overlay kata --server-config ./k3sc-cluster.yaml',
    'deploy --dry-run -o yaml',
  ],
  schema: z.object({
    overlay: z.enum(['k3s', 'kata'], { error: '--overlay must be k3s or kata' }).optional(),
    namespace: namespaceArg,
    serverConfig: z.string().min(1).optional(),
    dryRun: z.boolean().optional(),
    output: z.enum(['yaml'], { error: '--output must be yaml' }).optional(),
    ...jsonFlag,
  }),
  run: () => Promise.resolve(cliOnlyReply('deploy')),
});

export const rotateSecretsCommand = defineCommand({
  name: 'rotate-secrets',
  summary:
    "Update the cluster's Secrets from local credentials (no redeploy); restarts k3sc if its own changed",
  role: 'admin',
  cliOnly: true,
  options: [
    { flags: '--family <name>', description: "only this family's agent Secret (k3sc-agent-<family>)" },
    namespaceOption,
    { flags: '--dry-run', description: 'report which keys would change (by hash), write nothing' },
  ],
  examples: ['rotate-secrets --family claude', 'rotate-secrets --dry-run'],
  schema: z.object({
    family: familyArg.optional(),
    namespace: namespaceArg,
    dryRun: z.boolean().optional(),
    ...jsonFlag,
  }),
  run: () => Promise.resolve(cliOnlyReply('rotate-secrets')),
});
