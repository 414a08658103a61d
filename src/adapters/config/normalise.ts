import { buildWebConfig } from './web-config.js';
import * as path from 'node:path';
import { buildChatConfig } from './chat-config.js';
import { resolveConfigPath } from './config-path.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import { maxSlotsFromEnv } from './env-overrides.js';
import { buildAgents, normaliseFamilies } from './families.js';
import { buildGithubConfig } from './github-config.js';
import type { RawConfig } from './schema.js';
import { ALERT_EVENTS } from './schema-chat.js';
import type { Env, SecretFiles } from './secret-files.js';
import type { K3scConfig, KubernetesConfig, RuntimeConfig } from './types.js';
import type { Problem } from './zod-issues.js';

export interface NormaliseContext {
  readonly env: Env;
  readonly homeDir: string;
  /** Folder relative paths in the file are resolved against (the config file's folder). */
  readonly baseDir: string;
  readonly files: SecretFiles;
}

export interface Normalised {
  readonly config: K3scConfig;
  readonly errors: Problem[];
  readonly warnings: string[];
}

type Resolve = (p: string) => string;

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/** `{ key: value }` when value is defined, `{}` otherwise (exactOptionalPropertyTypes). */
const opt = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

const buildKubernetes = (
  k: NonNullable<RawConfig['runtime']>['kubernetes'],
  resolve: Resolve,
  farmNamespace: string,
): KubernetesConfig => ({
  jobTtlMs: k?.job_ttl ?? CONFIG_DEFAULTS.jobTtlMs,
  ...opt('kubeconfig', k?.kubeconfig === undefined ? undefined : resolve(k.kubeconfig)),
  ...opt('context', k?.context),
  ...opt('runtimeClass', k?.runtime_class),
  ...opt('serviceAccount', k?.service_account),
  namespace: k?.namespace ?? farmNamespace,
  ...opt('image', k?.image),
  ...opt('imagePullPolicy', k?.image_pull_policy),
  ...opt('workspaceClaim', k?.workspace_claim),
});

const buildRuntime = (raw: RawConfig['runtime'], resolve: Resolve, farmNamespace: string): RuntimeConfig => ({
  kind: raw?.kind ?? CONFIG_DEFAULTS.runtimeKind,
  attemptDeadlineMs: raw?.attempt_deadline ?? CONFIG_DEFAULTS.attemptDeadlineMs,
  maxAttempts: raw?.max_attempts ?? CONFIG_DEFAULTS.maxAttempts,
  retryBackoffMs: raw?.retry_backoff ?? [...CONFIG_DEFAULTS.retryBackoffMs],
  orphanGraceMs: raw?.orphan_grace ?? CONFIG_DEFAULTS.orphanGraceMs,
  kubernetes: buildKubernetes(raw?.kubernetes, resolve, farmNamespace),
});

const buildScan = (raw: RawConfig['scan']): K3scConfig['scan'] => ({
  minIntervalMs: raw?.min_interval ?? CONFIG_DEFAULTS.scan.minIntervalMs,
  maxIntervalMs: raw?.max_interval ?? CONFIG_DEFAULTS.scan.maxIntervalMs,
  taskTtlMs: raw?.task_ttl ?? CONFIG_DEFAULTS.scan.taskTtlMs,
});

const buildSafety = (raw: RawConfig['safety']): K3scConfig['safety'] => ({
  branchPattern: raw?.branch_pattern ?? CONFIG_DEFAULTS.branchPattern,
  ghAllowed: unique(raw?.gh_allowed ?? CONFIG_DEFAULTS.ghAllowed),
  blockedCommitWords: unique(raw?.blocked_commit_words ?? CONFIG_DEFAULTS.blockedCommitWords),
});

const buildAlerts = (raw: RawConfig['alerts']): K3scConfig['alerts'] => ({
  routes: (raw?.routes ?? []).map((r) => ({
    channel: r.channel,
    events: r.events.includes('all') ? [...ALERT_EVENTS] : unique(r.events.filter((e) => e !== 'all')),
    platform: r.platform ?? (/^\d+$/.test(r.channel) ? 'discord' : 'slack'),
    repos: unique((r.repos ?? []).map((x) => x.toLowerCase())),
    families: unique(r.families ?? []),
  })),
});

const buildRbac = (raw: RawConfig['rbac']): K3scConfig['rbac'] => ({
  admins: unique(raw?.admins ?? []),
  operators: unique(raw?.operators ?? []),
  viewers: unique(raw?.viewers ?? []),
  channels: Object.fromEntries(
    Object.entries(raw?.channels ?? {}).map(([channel, lists]) => [
      channel,
      {
        admins: unique(lists.admins ?? []),
        operators: unique(lists.operators ?? []),
        viewers: unique(lists.viewers ?? []),
      },
    ]),
  ),
});

const buildPlaces = (raw: RawConfig, ctx: NormaliseContext, resolve: Resolve) => ({
  dataDir:
    raw.data_dir === undefined ? path.join(ctx.homeDir, CONFIG_DEFAULTS.dataDirName) : resolve(raw.data_dir),
  http: {
    host: raw.http?.host ?? CONFIG_DEFAULTS.httpHost,
    port: raw.http?.port ?? CONFIG_DEFAULTS.httpPort,
  },
  leases: { ttlMs: raw.leases?.ttl ?? CONFIG_DEFAULTS.leaseTtlMs },
  schedules: {
    ...opt('digest', raw.schedules?.digest),
    ...opt('scan', raw.schedules?.scan),
    ...opt('leaseExpiry', raw.schedules?.lease_expiry),
  },
});

/** Validated file → K3scConfig: defaults, camelCase, env overrides, resolved paths and secrets. */
export const normalise = (raw: RawConfig, ctx: NormaliseContext): Normalised => {
  const errors: Problem[] = [];
  const warnings: string[] = [];
  const resolve: Resolve = (p) => resolveConfigPath(p, ctx.homeDir, ctx.baseDir);
  const families = normaliseFamilies(raw.families);
  const config: K3scConfig = {
    namespace: raw.namespace ?? CONFIG_DEFAULTS.namespace,
    maxSlots: maxSlotsFromEnv(ctx.env, errors) ?? raw.max_slots ?? CONFIG_DEFAULTS.maxSlots,
    ...opt('launchDir', raw.launch_dir),
    repos: raw.repos ?? [],
    allowedAuthors: unique(raw.allowed_authors ?? []),
    families,
    scan: buildScan(raw.scan),
    safety: buildSafety(raw.safety),
    runtime: buildRuntime(raw.runtime, resolve, raw.namespace ?? CONFIG_DEFAULTS.namespace),
    github: buildGithubConfig(raw, { env: ctx.env, files: ctx.files, resolve, errors, warnings }),
    chat: buildChatConfig(raw.chat, ctx.env, warnings),
    alerts: buildAlerts(raw.alerts),
    rbac: buildRbac(raw.rbac),
    agents: buildAgents(families, raw.agents, errors, warnings),
    ...buildPlaces(raw, ctx, resolve),
  };
  const withWeb: K3scConfig = {
    ...config,
    web: buildWebConfig(raw.web, config.dataDir, ctx.env, resolve, { files: ctx.files, errors }),
  };
  return { config: withWeb, errors, warnings };
};
