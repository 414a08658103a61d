import type { RepoRef } from '../../core/model/refs.js';
import type { FamilySettings } from '../../core/model/settings.js';
import type { AlertEvent } from './schema-chat.js';
import type { WebConfig } from './web-config.js';

export type { AlertEvent } from './schema-chat.js';

/** Where a secret came from, for reports: `env:GITHUB_TOKEN` or `file:/home/me/.gh-token`. Never the value. */
export type SecretSource = `env:${string}` | `file:${string}`;

export interface ResolvedSecret {
  readonly value: string;
  readonly source: SecretSource;
}

export type GithubAuth =
  | { readonly kind: 'token'; readonly token: string; readonly source: SecretSource }
  | {
      readonly kind: 'app';
      readonly appId: string;
      readonly installationId: number;
      readonly privateKey: string;
      readonly privateKeySource: SecretSource;
    }
  | { readonly kind: 'none' };

export interface GithubConfig {
  /** REST base URL, e.g. https://api.github.com or https://ghe.example.com/api/v3 (no trailing slash). */
  readonly apiUrl: string;
  /** Web URL for links, e.g. https://github.com (the earlier tool's `github_url`). */
  readonly webUrl: string;
  readonly auth: GithubAuth;
  readonly webhookSecret?: ResolvedSecret;
}

export interface KubernetesConfig {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly runtimeClass?: string;
  readonly serviceAccount?: string;
  readonly jobTtlMs: number;
  /** Where k3sc's Jobs, pods and its leader Lease live; default `k3sc`. */
  readonly namespace: string;
  /** The agent image (a family's `agents.<f>.image` wins). */
  readonly image?: string;
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** The shared PersistentVolumeClaim of the slots' workspaces. */
  readonly workspaceClaim?: string;
}

export interface RuntimeConfig {
  readonly kind: 'local' | 'kubernetes';
  readonly attemptDeadlineMs: number;
  readonly maxAttempts: number;
  readonly retryBackoffMs: readonly number[];
  readonly orphanGraceMs: number;
  /** Always present (defaults filled); only used when kind is `kubernetes`. */
  readonly kubernetes: KubernetesConfig;
}

export interface SlackConfig {
  readonly enabled: boolean;
  readonly socketMode: boolean;
  /** Web API base (`chat.slack.api_url`), ending in `/`. */
  readonly apiUrl: string;
  readonly botTokenEnv: string;
  readonly appTokenEnv: string;
  readonly signingSecretEnv: string;
  readonly channels: readonly string[];
  /** Per-attempt threads go to the repo's channel (`channels_by_repo`, key `owner/name`), else here. */
  readonly defaultChannel?: string;
  readonly channelsByRepo: Readonly<Record<string, string>>;
  readonly botToken?: string;
  readonly appToken?: string;
  readonly signingSecret?: string;
}

export interface DiscordConfig {
  readonly enabled: boolean;
  readonly tokenEnv: string;
  readonly token?: string;
  readonly applicationId?: string;
  readonly publicKey?: string;
  readonly guildId?: string;
  readonly channels: readonly string[];
  /** Discord's REST base (`chat.discord.api_url`, default https://discord.com/api). */
  readonly apiUrl: string;
  /** `chat.discord.gateway`: also receive interactions over the gateway (needs the bot token). */
  readonly gateway: boolean;
  readonly defaultChannel?: string;
  readonly channelsByRepo: Readonly<Record<string, string>>;
}

export interface ChatConfig {
  readonly console: { readonly enabled: boolean };
  readonly slack?: SlackConfig;
  readonly discord?: DiscordConfig;
  /** Chat user id → review worker (`chat.workers`): what a Take review click takes for. */
  readonly workers: Readonly<Record<string, string>>;
}

export interface AlertRoute {
  readonly channel: string;
  /** Expanded: `all` in the file becomes every event. */
  readonly events: readonly AlertEvent[];
  readonly platform: 'slack' | 'discord';
  /** `owner/name` keys, lower case; empty: every repository. */
  readonly repos: readonly string[];
  /** Empty: every family. */
  readonly families: readonly string[];
}

export interface RoleLists {
  readonly admins: readonly string[];
  readonly operators: readonly string[];
  readonly viewers: readonly string[];
}

export interface RbacConfig extends RoleLists {
  /** Grants that hold only in one channel, on top of the lists above. */
  readonly channels: Readonly<Record<string, RoleLists>>;
}

export interface AgentConfig {
  /** argv; `{prompt}` is replaced by the prompt text. */
  readonly command: readonly string[];
  readonly model?: string;
  readonly image?: string;
  readonly env: Readonly<Record<string, string>>;
}

/** The validated, normalised configuration: camelCase, durations in ms, secrets resolved. */
export interface K3scConfig {
  readonly namespace: string;
  /** Slots per family (1..26), after the MAX_SLOTS override. */
  readonly maxSlots: number;
  /** The earlier tool's base directory for `launch` slot directories, kept verbatim. */
  readonly launchDir?: string;
  readonly repos: readonly RepoRef[];
  readonly allowedAuthors: readonly string[];
  readonly families: readonly FamilySettings[];
  readonly scan: {
    readonly minIntervalMs: number;
    readonly maxIntervalMs: number;
    readonly taskTtlMs: number;
  };
  readonly safety: {
    readonly branchPattern: string;
    readonly ghAllowed: readonly string[];
    readonly blockedCommitWords: readonly string[];
  };
  readonly runtime: RuntimeConfig;
  readonly github: GithubConfig;
  readonly chat: ChatConfig;
  readonly alerts: { readonly routes: readonly AlertRoute[] };
  readonly rbac: RbacConfig;
  /** One entry per configured family (built-in defaults for claude and codex). */
  readonly agents: Readonly<Record<string, AgentConfig>>;
  /** Cron expressions (validated at load): the daily digest, the safety-net scan, lease expiry. */
  readonly schedules: { readonly digest?: string; readonly scan?: string; readonly leaseExpiry?: string };
  readonly dataDir: string;
  readonly http: { readonly host: string; readonly port: number };
  readonly leases: { readonly ttlMs: number };
  /** The web dashboard (`web`); absent only in configs built by hand in tests. */
  readonly web?: WebConfig;
}
