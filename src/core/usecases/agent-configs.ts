import { agentConfigSchema, describeConfigIssues, type AgentConfig } from '../domain/agent-config.js';
import { allows } from '../domain/roles.js';
import type { EngineDeps } from '../engine/deps.js';
import { ConflictError, K3scError, NotFoundError } from '../errors.js';
import { repoKey, sameRepo } from '../model/refs.js';
import type { JsonValue, StoredRecord } from '../model/stored-record.js';
import type { Actor } from './actor.js';

type ConfigDeps = Pick<EngineDeps, 'store' | 'settings' | 'clock'>;

const KIND = 'agent-config';

/** A record read back: validated, or a clear `state_corrupt` naming the record and field. */
const fromRecord = (r: StoredRecord): AgentConfig => {
  const parsed = agentConfigSchema.safeParse(r.data);
  if (!parsed.success)
    throw new K3scError(
      'state_corrupt',
      `saved config ${r.name} is invalid: ${describeConfigIssues(parsed.error)}`,
    );
  return stripUndefined(parsed.data);
};

const stripUndefined = (c: Readonly<Record<string, unknown>>): AgentConfig =>
  Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as unknown as AgentConfig;

const mustOperate = (actor: Actor, what: string): void => {
  if (!allows(actor.role, 'operator'))
    throw new K3scError('forbidden', `${what} needs the operator role; ${actor.display} is a ${actor.role}`);
};

/**
 * The shape (zod) and then the rules that need the farm's config: a configured repository and
 * family. Throws `bad_input` naming every bad field; nothing is saved.
 */
export const validateConfig = (deps: Pick<EngineDeps, 'settings'>, input: unknown): AgentConfig => {
  const parsed = agentConfigSchema.safeParse(input);
  if (!parsed.success)
    throw new K3scError('bad_input', `invalid config: ${describeConfigIssues(parsed.error)}`);
  const c = stripUndefined(parsed.data);
  const problems: string[] = [];
  const [owner = '', name = ''] = c.repo.split('/');
  const repo = deps.settings.repos.find((r) => sameRepo(r, { owner, name }));
  if (!repo)
    problems.push(
      `repo ${c.repo} is not a configured repository (${deps.settings.repos.map(repoKey).join(', ') || 'none'})`,
    );
  const families = deps.settings.families.map((f) => f.name);
  if (!families.includes(c.family))
    problems.push(`family ${c.family} is not a configured family (${families.join(', ') || 'none'})`);
  if (problems.length) throw new K3scError('bad_input', `invalid config: ${problems.join('; ')}`);
  return repo ? { ...c, repo: repoKey(repo) } : c;
};

export const listConfigs = async (deps: ConfigDeps, signal?: AbortSignal): Promise<AgentConfig[]> =>
  (await deps.store.listRecords(KIND, {}, signal))
    .map(fromRecord)
    .sort((a, b) => a.name.localeCompare(b.name));

export const getConfig = async (
  deps: ConfigDeps,
  name: string,
  signal?: AbortSignal,
): Promise<AgentConfig> => {
  const r = await deps.store.getRecord(KIND, name, signal);
  if (!r) throw new NotFoundError(`no saved config named ${name} (see configs list)`);
  return fromRecord(r);
};

/** Creates or replaces a config; returns it and whether it is new. */
export const saveConfig = async (
  deps: ConfigDeps,
  input: Record<string, unknown>,
  actor: Actor,
  signal?: AbortSignal,
): Promise<{ config: AgentConfig; created: boolean }> => {
  mustOperate(actor, 'saving a config');
  const config = validateConfig(deps, { ...input, updatedBy: actor.display });
  const now = deps.clock.now().toISOString();
  let created = false;
  await deps.store.updateRecord(
    KIND,
    config.name,
    (current) => {
      created = current === undefined;
      return {
        kind: KIND,
        name: config.name,
        createdAt: current?.createdAt ?? now,
        updatedAt: now,
        data: config as unknown as JsonValue,
      };
    },
    signal,
  );
  return { config, created };
};

export const deleteConfig = async (
  deps: ConfigDeps,
  name: string,
  actor: Actor,
  signal?: AbortSignal,
): Promise<{ name: string }> => {
  mustOperate(actor, 'deleting a config');
  if (!(await deps.store.deleteRecord(KIND, name, signal)))
    throw new NotFoundError(`no saved config named ${name}`);
  return { name };
};

/** A copy under a new name; a name that exists is a conflict (nothing is overwritten). */
export const cloneConfig = async (
  deps: ConfigDeps,
  from: string,
  to: string,
  actor: Actor,
  signal?: AbortSignal,
): Promise<AgentConfig> => {
  mustOperate(actor, 'cloning a config');
  const source = await getConfig(deps, from, signal);
  const config = validateConfig(deps, { ...source, name: to, updatedBy: actor.display });
  const now = deps.clock.now().toISOString();
  try {
    await deps.store.createRecord(
      { kind: KIND, name: to, createdAt: now, updatedAt: now, data: config as unknown as JsonValue },
      signal,
    );
  } catch (err) {
    if (err instanceof ConflictError || (err instanceof K3scError && err.code === 'conflict'))
      throw new ConflictError(`a config named ${to} exists already (delete it first, or save over it)`);
    throw err;
  }
  return config;
};
