import type { FamilySettings } from '../../core/model/settings.js';
import { CONFIG_DEFAULTS, DEFAULT_AGENT_COMMANDS } from './defaults.js';
import type { RawConfig } from './schema.js';
import type { AgentConfig } from './types.js';
import type { Problem } from './zod-issues.js';

/** List form, list of `{name, enabled}`, or map form → `[{name, enabled}]` in file order. */
export const normaliseFamilies = (raw: RawConfig['families']): FamilySettings[] => {
  if (raw === undefined) return CONFIG_DEFAULTS.families.map((f) => ({ ...f }));
  if (Array.isArray(raw)) {
    return raw.map((f) =>
      typeof f === 'string' ? { name: f, enabled: true } : { name: f.name, enabled: f.enabled ?? true },
    );
  }
  return Object.entries(raw).map(([name, v]) => ({
    name,
    enabled: typeof v === 'boolean' ? v : (v?.enabled ?? true),
  }));
};

/**
 * One agent entry per family: built-in commands for claude and codex, the file's
 * settings on top. An enabled family without a command is an error; settings for a
 * family that is not configured are a warning.
 */
export const buildAgents = (
  families: readonly FamilySettings[],
  raw: RawConfig['agents'],
  errors: Problem[],
  warnings: string[],
): Record<string, AgentConfig> => {
  const agents: Record<string, AgentConfig> = {};
  for (const family of families) {
    const own = raw?.[family.name];
    const command = own?.command ?? DEFAULT_AGENT_COMMANDS[family.name];
    if (command === undefined) {
      if (family.enabled) {
        errors.push({
          path: ['agents', family.name, 'command'],
          message: `required: family "${family.name}" has no built-in command (only claude and codex do)`,
        });
      }
      continue;
    }
    agents[family.name] = {
      command: [...command],
      env: { ...(own?.env ?? {}) },
      ...(own?.model === undefined ? {} : { model: own.model }),
      ...(own?.image === undefined ? {} : { image: own.image }),
    };
  }
  const configured = new Set(families.map((f) => f.name));
  for (const name of Object.keys(raw ?? {})) {
    if (!configured.has(name))
      warnings.push(`agents.${name} is set but "${name}" is not in families — ignored`);
  }
  return agents;
};
