import * as path from 'node:path';
import { resolveConfigPath } from './config-path.js';
import { ConfigInvalidError } from './config-error.js';
import { checkCrossField } from './cross-field.js';
import { maxSlotsFromEnv } from './env-overrides.js';
import { plannedSecretFiles } from './github-config.js';
import { normalise } from './normalise.js';
import type { RawConfig } from './schema.js';
import type { Env, SecretFiles } from './secret-files.js';
import type { K3scConfig } from './types.js';
import { validateRaw } from './validate-raw.js';
import type { WorkMeter } from './work-meter.js';
import { parseYamlText } from './yaml-source.js';
import { type Problem, formatProblem } from './zod-issues.js';

export interface ParseOptions {
  /** For `~` and the default data_dir; defaults to env.HOME. */
  readonly homeDir?: string;
  /** Relative paths in the file start here; defaults to the folder of sourceName. */
  readonly baseDir?: string;
  /** Secret files' contents by absolute path (loadConfig reads them; tests pass them in). */
  readonly secretFiles?: SecretFiles | Readonly<Record<string, string>>;
  /** Counts the checker's steps (tests show with it that the work is linear). */
  readonly meter?: WorkMeter;
}

export interface ParsedConfig {
  readonly config: K3scConfig;
  readonly warnings: string[];
}

/** The first, file-only stage: YAML and schema, plus which secret files the rest will need. */
export interface ConfigDraft {
  readonly sourceName: string;
  readonly env: Env;
  readonly homeDir: string;
  readonly baseDir: string;
  readonly raw: RawConfig | undefined;
  /**
   * When the schema failed: the file without its broken top-level sections, if that passes.
   * The later stages run on it too, so one run reports every problem, not the first layer.
   */
  readonly salvage?: RawConfig;
  readonly problems: string[];
  readonly warnings: string[];
  readonly secretFiles: string[];
}

export const draftConfig = (
  text: string,
  env: Env,
  sourceName: string,
  options: ParseOptions = {},
): ConfigDraft => {
  const homeDir = options.homeDir ?? env['HOME'] ?? env['USERPROFILE'] ?? '.';
  const baseDir = options.baseDir ?? path.dirname(sourceName);
  const yaml = parseYamlText(text, options.meter);
  const base = { sourceName, env, homeDir, baseDir, secretFiles: [] };
  if (yaml.data === undefined)
    return { ...base, raw: undefined, problems: yaml.errors, warnings: yaml.warnings };
  const checked = validateRaw(yaml.data, options.meter);
  const warnings = [...yaml.warnings, ...checked.warnings];
  const resolve = (p: string): string => resolveConfigPath(p, homeDir, baseDir);
  if (checked.value === undefined) {
    const salvage = salvageRaw(yaml.data, checked.errors);
    return {
      ...base,
      raw: undefined,
      problems: checked.errors.map(formatProblem),
      warnings,
      ...(salvage ? { salvage, secretFiles: plannedSecretFiles(salvage, env, resolve) } : {}),
    };
  }
  return {
    ...base,
    raw: checked.value,
    problems: [],
    warnings,
    secretFiles: plannedSecretFiles(checked.value, env, resolve),
  };
};

/** The second stage: normalise, env overrides, secrets and cross-field rules; throws with every problem. */
export const finishConfig = (draft: ConfigDraft, files: SecretFiles): ParsedConfig => {
  if (draft.raw === undefined) {
    const later: Problem[] = [];
    if (draft.salvage) {
      const n = normalise(draft.salvage, {
        env: draft.env,
        homeDir: draft.homeDir,
        baseDir: draft.baseDir,
        files,
      });
      later.push(...n.errors, ...checkCrossField(n.config, draft.salvage).errors);
    } else {
      maxSlotsFromEnv(draft.env, later);
    }
    const problems = [...new Set([...draft.problems, ...later.map(formatProblem)])];
    throw new ConfigInvalidError(draft.sourceName, problems, draft.warnings);
  }
  const n = normalise(draft.raw, { env: draft.env, homeDir: draft.homeDir, baseDir: draft.baseDir, files });
  const rules = checkCrossField(n.config, draft.raw);
  const problems = [...n.errors, ...rules.errors].map(formatProblem);
  const warnings = [...new Set([...draft.warnings, ...n.warnings, ...rules.warnings])];
  if (problems.length > 0) throw new ConfigInvalidError(draft.sourceName, problems, warnings);
  return { config: n.config, warnings };
};

/** The file minus every top-level section the schema rejected, if the rest is valid on its own. */
const salvageRaw = (data: unknown, errors: readonly Problem[]): RawConfig | undefined => {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const broken = new Set(errors.map((e) => e.path[0]).filter((k) => k !== undefined));
  if (broken.size === 0) return undefined;
  const rest = Object.fromEntries(Object.entries(data).filter(([k]) => !broken.has(k)));
  return validateRaw(rest).value;
};

const toMap = (files: ParseOptions['secretFiles']): SecretFiles =>
  files === undefined ? new Map() : files instanceof Map ? files : new Map(Object.entries(files));

/** Pure: YAML text → validated K3scConfig and warnings, or a ConfigInvalidError listing every problem. */
export const parseConfigText = (
  text: string,
  env: Env,
  sourceName: string,
  options: ParseOptions = {},
): ParsedConfig => finishConfig(draftConfig(text, env, sourceName, options), toMap(options.secretFiles));
