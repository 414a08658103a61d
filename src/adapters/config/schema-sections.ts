import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_ENGINE_SETTINGS } from '../../core/model/settings.js';
import { formatDuration } from './duration.js';
import { DURATION_LIMITS } from './duration-limits.js';
import {
  cron,
  duration,
  envName,
  envValue,
  familyName,
  forbiddenSecret,
  httpUrl,
  id,
  nonEmpty,
  stringList,
} from './schema-fields.js';

const positiveInt = (max: number) =>
  z
    .number()
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(max, { error: `must be at most ${max}` });

export const scanSchema = z
  .strictObject({
    min_interval: duration(DURATION_LIMITS['scan.min_interval']).optional(),
    max_interval: duration(DURATION_LIMITS['scan.max_interval']).optional(),
    task_ttl: duration(DURATION_LIMITS['scan.task_ttl']).optional(),
  })
  .superRefine((scan, ctx) => {
    const min = scan.min_interval ?? DEFAULT_ENGINE_SETTINGS.scan.minIntervalMs;
    const max = scan.max_interval ?? DEFAULT_ENGINE_SETTINGS.scan.maxIntervalMs;
    if (min > max) {
      ctx.addIssue({
        code: 'custom',
        path: [scan.min_interval === undefined ? 'max_interval' : 'min_interval'],
        message: `min_interval (${formatDuration(min)}) must not be longer than max_interval (${formatDuration(max)})`,
      });
    }
  });

const branchPattern = z.string().superRefine((v, ctx) => {
  if (!v.includes('{N}')) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(v)} must contain {N} (the issue number), e.g. "issue-{N}"`,
    });
    return;
  }
  const sample = v.replaceAll('{N}', '1');
  if (!/^[A-Za-z0-9._/-]+$/.test(sample) || /^[/.-]|\.\.|\/\/|[/.]$|\.lock$/.test(sample)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(v)} is not a valid git branch name pattern (letters, digits, "-", "_", ".", "/")`,
    });
  }
});

export const safetySchema = z.strictObject({
  branch_pattern: branchPattern.optional(),
  gh_allowed: stringList.optional(),
  blocked_commit_words: stringList.optional(),
});

export const runtimeSchema = z.strictObject({
  kind: z.enum(['local', 'kubernetes']).optional(),
  attempt_deadline: duration(DURATION_LIMITS['runtime.attempt_deadline']).optional(),
  max_attempts: positiveInt(100).optional(),
  retry_backoff: z.array(duration(DURATION_LIMITS['runtime.retry_backoff'])).optional(),
  orphan_grace: duration(DURATION_LIMITS['runtime.orphan_grace']).optional(),
  kubernetes: z
    .strictObject({
      kubeconfig: nonEmpty.optional(),
      context: nonEmpty.optional(),
      runtime_class: nonEmpty.optional(),
      job_ttl: duration(DURATION_LIMITS['runtime.kubernetes.job_ttl']).optional(),
      service_account: nonEmpty.optional(),
      namespace: z
        .string()
        .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name (lowercase, digits, "-")')
        .optional(),
      image: nonEmpty.optional(),
      image_pull_policy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
      workspace_claim: nonEmpty.optional(),
    })
    .optional(),
});

const TOKEN_HINT =
  'set GITHUB_TOKEN (or GH_TOKEN) in the environment, or put the token in a file and set github.token_file';

export const githubSchema = z.strictObject({
  api_url: httpUrl.optional(),
  token: forbiddenSecret(TOKEN_HINT),
  token_file: nonEmpty.optional(),
  private_key: forbiddenSecret('put the PEM in a file and set github.app.private_key_file'),
  webhook_secret: forbiddenSecret(
    'set K3SC_WEBHOOK_SECRET in the environment, or set github.webhook_secret_file',
  ),
  webhook_secret_file: nonEmpty.optional(),
  app: z
    .strictObject({
      app_id: id,
      private_key_file: nonEmpty,
      private_key: forbiddenSecret('put the PEM in a file and set github.app.private_key_file'),
      installation_id: z.union([
        positiveInt(Number.MAX_SAFE_INTEGER),
        z.string().regex(/^\d+$/).transform(Number),
      ]),
    })
    .optional(),
});

export const agentSchema = z.strictObject({
  command: z.array(nonEmpty).min(1, { error: 'must have at least the program name' }).optional(),
  model: nonEmpty.optional(),
  image: nonEmpty.optional(),
  env: z.record(envName, envValue).optional(),
});
export const agentsSchema = z.record(familyName, agentSchema);

export const schedulesSchema = z.strictObject({
  digest: cron.optional(),
  scan: cron.optional(),
  lease_expiry: cron.optional(),
});

const HOSTNAME_RE =
  /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** An IP address (`127.0.0.1`, `::`) or a host name; no scheme, port or brackets. */
const listenHost = nonEmpty.refine((v) => isIP(v) !== 0 || HOSTNAME_RE.test(v), {
  error: (iss) =>
    `${JSON.stringify(iss.input)} is not an IP address or host name (write e.g. 127.0.0.1, 0.0.0.0, :: or localhost — no scheme, port or brackets)`,
});

export const httpSchema = z.strictObject({
  host: listenHost.optional(),
  port: z
    .number()
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be between 0 and 65535' })
    .max(65535, { error: 'must be between 0 and 65535' })
    .optional(),
});

export const leasesSchema = z.strictObject({ ttl: duration(DURATION_LIMITS['leases.ttl']).optional() });
