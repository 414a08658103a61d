import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../../core/model/settings.js';
import type { K3scConfig } from './types.js';

/** The engine's slice of the config. Every field is filled by the loader; DEFAULT_ENGINE_SETTINGS backs up any gap. */
export const toEngineSettings = (config: K3scConfig): EngineSettings => {
  const d = DEFAULT_ENGINE_SETTINGS;
  return {
    repos: config.repos.map((r) => ({ owner: r.owner, name: r.name })),
    allowedAuthors: [...config.allowedAuthors],
    families: config.families.length > 0 ? config.families.map((f) => ({ ...f })) : d.families,
    maxSlots: config.maxSlots,
    scan: { ...config.scan },
    branchPattern: config.safety.branchPattern || d.branchPattern,
    maxAttempts: config.runtime.maxAttempts,
    maxQuotaBounces: d.maxQuotaBounces,
    retryBackoffMs:
      config.runtime.retryBackoffMs.length > 0 ? [...config.runtime.retryBackoffMs] : d.retryBackoffMs,
    orphanGraceMs: config.runtime.orphanGraceMs,
    leaseTtlMs: config.leases.ttlMs,
    attemptDeadlineSeconds: Math.ceil(config.runtime.attemptDeadlineMs / 1_000),
  };
};
