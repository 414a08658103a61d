import { repoKey } from '../../core/model/refs.js';
import { formatDuration } from './duration.js';
import type { LoadedConfig } from './load-config.js';
import type { GithubAuth, K3scConfig } from './types.js';

const list = (items: readonly string[], none = '(none)'): string =>
  items.length === 0 ? none : items.join(', ');

const describeAuth = (auth: GithubAuth): string => {
  if (auth.kind === 'token') return `token from ${auth.source}`;
  if (auth.kind === 'app')
    return `GitHub App ${auth.appId}, installation ${auth.installationId}, key from ${auth.privateKeySource}`;
  return 'none (set GITHUB_TOKEN, github.token_file or github.app)';
};

const discordParts = (d: NonNullable<K3scConfig['chat']['discord']>): string => {
  if (!d.enabled || d.applicationId === undefined) return 'off (needs application_id and public_key)';
  const parts = [
    ...(d.publicKey === undefined ? [] : ['HTTP interactions at POST /discord/interactions']),
    ...(d.gateway && d.token !== undefined ? ['the gateway'] : []),
  ];
  return parts.length === 0
    ? 'off (needs public_key, or gateway: true and the bot token)'
    : parts.join(' and ');
};

/** The console, Slack (Socket Mode or HTTP) and Discord (HTTP interactions, gateway). */
const describeChat = (c: K3scConfig): string => {
  const slack = c.chat.slack?.enabled === true ? c.chat.slack : undefined;
  const http = slack && !slack.socketMode ? '; slack over HTTP (POST /slack/events)' : '';
  const socket = slack?.socketMode === true ? '; slack over Socket Mode (outbound WebSocket)' : '';
  const d = c.chat.discord;
  const discord = d === undefined ? '' : `; discord: ${discordParts(d)}`;
  return `console (serve's stdin)${http}${socket}${discord}`;
};

const describeRuntime = (c: K3scConfig): string => {
  const r = c.runtime;
  const kind =
    r.kind === 'kubernetes' ? `kubernetes (agents as Jobs in namespace ${r.kubernetes.namespace})` : 'local';
  return `${kind}, data in ${c.dataDir}; deadline ${formatDuration(r.attemptDeadlineMs)}, ${r.maxAttempts} attempts, back-off ${list(r.retryBackoffMs.map(formatDuration))}`;
};

/** The human-readable summary printed by `k3sc config check` (secrets never included). */
export const formatConfigReport = (loaded: LoadedConfig): string => {
  const c = loaded.config;
  const src = loaded.source;
  const lines = [
    src.kind === 'file' ? `config:     ${src.path}` : `config:     no file at ${src.path} — using defaults`,
    `runtime:    ${describeRuntime(c)}`,
    `repos:      ${list(c.repos.map(repoKey))}`,
    `authors:    ${list(c.allowedAuthors, '(none — nothing will dispatch)')}`,
    "new/launch: issues are filed by k3sc's own GitHub login (its token's user); they dispatch only when that login is in allowed_authors",
    `families:   ${c.families.map((f) => `${f.name}${f.enabled ? '' : ' (disabled)'}`).join(', ')}; ${c.maxSlots} slots in all`,
    `scan:       ${formatDuration(c.scan.minIntervalMs)} … ${formatDuration(c.scan.maxIntervalMs)} when idle, task ttl ${formatDuration(c.scan.taskTtlMs)}`,
    `branches:   ${c.safety.branchPattern}`,
    `github:     ${c.github.apiUrl} (web ${c.github.webUrl}); auth: ${describeAuth(c.github.auth)}`,
    `webhooks:   ${c.github.webhookSecret === undefined ? 'no secret (webhook receiver off)' : `secret from ${c.github.webhookSecret.source}`}`,
    `chat:       ${describeChat(c)}`,
    `alerts:     ${c.alerts.routes.length === 0 ? '(none)' : `${c.alerts.routes.length} route(s): ${c.alerts.routes.map((r) => `${r.platform}:${r.channel}`).join(', ')}`}`,
    `rbac:       ${c.rbac.admins.length} admin(s), ${c.rbac.operators.length} operator(s), ${c.rbac.viewers.length} viewer(s)`,
    `http:       ${c.http.host}:${c.http.port}`,
    `leases:     ttl ${formatDuration(c.leases.ttlMs)}`,
  ];
  if (loaded.warnings.length > 0) {
    lines.push(`warnings (${loaded.warnings.length}):`, ...loaded.warnings.map((w) => `  - ${w}`));
  }
  lines.push(loaded.warnings.length > 0 ? 'OK, with warnings' : 'OK');
  return lines.join('\n');
};
