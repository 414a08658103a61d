import type { AgentConfig } from '../domain/agent-config.js';
import { cloneConfig, deleteConfig, getConfig, listConfigs, saveConfig } from '../usecases/agent-configs.js';
import { fileNewIssue, launchConfig, type FiledIssue } from '../usecases/file-issue.js';
import { depsFor, type CommandCall, type FarmCore, type QueryCall } from './farm-core.js';

/** What `configs save` takes: the config's fields (validated in core; bad ones name the field). */
export type AgentConfigInput = Readonly<Record<string, unknown>>;

/** Saved agent configurations, launching them, and filing issues (`new`). */
export interface FarmConfigs {
  listConfigs(call: QueryCall): Promise<AgentConfig[]>;
  getConfig(name: string, call: QueryCall): Promise<AgentConfig>;
  /** Creates or replaces (operator); nothing is saved when a field is bad. */
  saveConfig(input: AgentConfigInput, call: CommandCall): Promise<{ config: AgentConfig; created: boolean }>;
  deleteConfig(name: string, call: CommandCall): Promise<{ name: string }>;
  cloneConfig(from: string, to: string, call: CommandCall): Promise<AgentConfig>;
  /** Files the config's issue, labelled `ready` on the caller's behalf (operator), and wakes the loop. */
  launch(
    config: string,
    opts: { readonly title?: string; readonly body?: string },
    call: CommandCall,
  ): Promise<FiledIssue>;
  /** Files an issue; labelled `ready` only when the caller is an operator. */
  newIssue(
    input: { readonly repo: string; readonly title: string; readonly body?: string },
    call: CommandCall,
  ): Promise<FiledIssue>;
}

/** A fresh id per request, hidden in the issue body so a retried create files it once. */
const requestId = (): string => globalThis.crypto.randomUUID();

export const farmConfigs = (core: FarmCore): FarmConfigs => ({
  listConfigs: (call) => listConfigs(depsFor(core, call), call.signal),
  getConfig: (name, call) => getConfig(depsFor(core, call), name, call.signal),
  saveConfig: (input, call) => saveConfig(depsFor(core, call), { ...input }, call.actor, call.signal),
  deleteConfig: (name, call) => deleteConfig(depsFor(core, call), name, call.actor, call.signal),
  cloneConfig: (from, to, call) => cloneConfig(depsFor(core, call), from, to, call.actor, call.signal),
  launch: async (config, opts, call) => {
    const deps = depsFor(core, call);
    const filed = await launchConfig(
      deps,
      { config, ...opts },
      call.actor,
      `launch:${requestId()}`,
      call.signal,
    );
    deps.logger.info({ issue: filed.issue, config, created: filed.created }, 'config launched');
    core.engine.trigger();
    return filed;
  },
  newIssue: async (input, call) => {
    const deps = depsFor(core, call);
    const filed = await fileNewIssue(deps, input, call.actor, `new:${requestId()}`, call.signal);
    deps.logger.info({ issue: filed.issue, ready: filed.ready, created: filed.created }, 'issue filed');
    if (filed.ready) core.engine.trigger();
    return filed;
  },
});
