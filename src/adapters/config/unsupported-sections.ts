import type { RawConfig } from './schema.js';

/**
 * Sections that are parsed and checked but that nothing reads yet. Each gets a warning when it
 * is set, so nobody believes it works; a section leaves this list when its consumer lands.
 * (`rbac` is not here: it has a consumer.)
 */
export const unsupportedSectionWarnings = (raw: RawConfig): string[] => {
  const out: string[] = [];
  const ignored = (what: string, note = ''): void => {
    out.push(`${what} is not supported yet; it is ignored${note}`);
  };
  if (raw.chat?.console !== undefined)
    ignored('chat.console', " (serve's console chat is on unless --no-console)");
  if (raw.runtime?.kind !== 'kubernetes')
    for (const [family, agent] of Object.entries(raw.agents ?? {}))
      if (agent.image !== undefined)
        out.push(`agents.${family}.image is ignored: images are for runtime.kind kubernetes`);
  return out;
};
