import type { RawConfig } from './schema.js';
import type { K3scConfig } from './types.js';
import { unsupportedSectionWarnings } from './unsupported-sections.js';
import type { Problem } from './zod-issues.js';

export interface RuleResult {
  readonly errors: Problem[];
  readonly warnings: string[];
}

const roleOverlaps = (config: K3scConfig): string[] => {
  const roles = ['admins', 'operators', 'viewers'] as const;
  const out: string[] = [];
  const seen = new Map<string, string>();
  for (const role of roles) {
    for (const id of config.rbac[role]) {
      const first = seen.get(id);
      if (first === undefined) seen.set(id, role);
      else
        out.push(`rbac: ${id} is listed in both ${first} and ${role} — the higher role (${first}) applies`);
    }
  }
  return out;
};

/** Rules that need more than one section (single-section rules live in the schema). */
export const checkCrossField = (config: K3scConfig, raw: RawConfig): RuleResult => {
  const errors: Problem[] = [];
  const warnings: string[] = [];
  const { runtime } = config;
  if (runtime.maxAttempts > 1 && runtime.retryBackoffMs.length === 0) {
    errors.push({
      path: ['runtime', 'retry_backoff'],
      message: `must list at least one delay when max_attempts is ${runtime.maxAttempts}`,
    });
  }
  if (config.repos.length === 0) warnings.push('repos is empty — no repository will be scanned');
  if (config.allowedAuthors.length === 0)
    warnings.push('allowed_authors is empty — nothing will dispatch until you list trusted issue authors');
  if (!config.families.some((f) => f.enabled))
    warnings.push('every family is disabled — nothing will dispatch');
  warnings.push(...unsupportedSectionWarnings(raw));
  warnings.push(...roleOverlaps(config));
  const digestChannels = [...(config.chat.slack?.channels ?? []), ...(config.chat.discord?.channels ?? [])];
  if (config.schedules.digest !== undefined && digestChannels.length === 0)
    warnings.push(
      'schedules.digest is set but no chat.slack.channels or chat.discord.channels are — the digest has nowhere to go',
    );
  return { errors, warnings };
};
