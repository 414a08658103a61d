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
  if (raw.chat?.slack !== undefined && raw.chat.slack.socket_mode !== false)
    out.push(
      'chat.slack Socket Mode is not supported yet: Slack starts only over HTTP (set chat.slack.socket_mode: false and point the app at POST /slack/events)',
    );
  if (raw.schedules !== undefined) ignored('schedules');
  if (raw.runtime?.kind === 'kubernetes')
    out.push(
      'runtime.kind kubernetes is not supported yet: serve and the CLI refuse to start with it (rather than run agents on this machine by surprise); use runtime.kind local',
    );
  if (raw.runtime?.kubernetes !== undefined) ignored('runtime.kubernetes');
  for (const [family, agent] of Object.entries(raw.agents ?? {}))
    if (agent.image !== undefined)
      ignored(`agents.${family}.image`, ' (images are for the kubernetes runtime)');
  return out;
};
